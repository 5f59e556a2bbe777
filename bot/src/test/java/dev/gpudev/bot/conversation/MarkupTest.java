package dev.gpudev.bot.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The markup as Slack takes it, as notification text, and as markdown for renderers that read markdown. */
class MarkupTest {
    private static final Instant T = Instant.parse("2026-12-05T04:04:00Z");

    @Test
    void markdownTranslatesEveryPartOfTheMarkupAndLeavesCodeAlone() {
        String text = ":white_check_mark: *h100-7f3a* is ready, until " + Markup.time(T) + ". " + Markup.link("https://x.test/a?b=1", "open")
                + " for " + Markup.user("U0ANA") + " `*not bold*` " + Markup.escape("a <b> & c") + "\n```x < y *z*```";

        assertThat(Markup.markdown(text)).isEqualTo("✅ **h100-7f3a** is ready, until <t:" + T.getEpochSecond() + ":t>. "
                + "[open](https://x.test/a?b=1) for <@U0ANA> `*not bold*` a <b> & c\n```x < y *z*```");
    }

    @Test
    void boldAroundCodeStaysBoldAndTheCodeStaysCode() {
        assertThat(Markup.markdown("*Snapshots of `data`*, newest first; `*x*` and *y*"))
                .isEqualTo("**Snapshots of `data`**, newest first; `*x*` and **y**");
    }

    @Test
    void plainDropsEmojiAndEmphasisButKeepsWords() {
        assertThat(Markup.plain(":alarm_clock: *h100-7f3a* ends in _15m_.")).isEqualTo("h100-7f3a ends in 15m.");
        assertThat(Markup.plain("my_snake_case stays")).isEqualTo("my_snake_case stays");
    }

    /** Discord shows a bot's {@code :key:} as those five characters: every code the main sources write needs its character. */
    @Test
    void everyEmojiTheViewsUseHasACharacter() throws IOException {
        Pattern literal = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");
        Pattern code = Pattern.compile("(?<![A-Za-z0-9]):([a-z][a-z0-9_]+):(?![A-Za-z0-9])");
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/gpudev/bot"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher l = literal.matcher(Files.readString(f));
                while (l.find()) {
                    code.matcher(l.group()).results().forEach(m -> used.add(m.group(1)));
                }
            }
        }
        assertThat(used).contains("white_check_mark", "key", "scroll", "bell", "zzz", "calendar");
        assertThat(Markup.EMOJI).containsKeys(used.toArray(String[]::new));
    }
}
