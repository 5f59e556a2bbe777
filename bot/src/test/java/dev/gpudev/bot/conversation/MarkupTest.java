package dev.gpudev.bot.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
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
    void plainDropsEmojiAndEmphasisButKeepsWords() {
        assertThat(Markup.plain(":alarm_clock: *h100-7f3a* ends in _15m_.")).isEqualTo("h100-7f3a ends in 15m.");
        assertThat(Markup.plain("my_snake_case stays")).isEqualTo("my_snake_case stays");
    }

    @Test
    void everyEmojiTheViewsUseHasACharacter() {
        assertThat(Markup.EMOJI).containsKeys("hourglass_flowing_sand", "gear", "white_check_mark", "alarm_clock", "checkered_flag",
                "wastebasket", "no_entry", "grey_question", "x", "hourglass", "information_source", "warning", "lock", "mega");
    }

    /** Discord shows a bot's {@code :bell:} as those six characters: every short code in the bot's strings needs its character. */
    @Test
    void everyEmojiCodeInTheBotsStringsHasACharacter() throws IOException {
        Pattern code = Pattern.compile("\":([a-z0-9_+-]+): ");
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                code.matcher(Files.readString(f)).results().forEach(m -> used.add(m.group(1)));
            }
        }
        assertThat(used).contains("bell", "zzz", "calendar");
        assertThat(Markup.EMOJI.keySet()).containsAll(used);
    }
}
