package dev.gpudev.bot.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

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
}
