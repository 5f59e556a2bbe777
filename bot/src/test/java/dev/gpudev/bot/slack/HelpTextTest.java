package dev.gpudev.bot.slack;

import static dev.gpudev.bot.slack.SlackHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@code /gpu help} on the signed route describes the limits the deployment runs with, not the defaults. */
class HelpTextTest {

    @Test
    void helpNamesTheConfiguredDurationBounds() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of("limits.max-duration", "PT8H", "limits.max-total", "PT12H"))) {
            assertThat(text(h.command("help", "U0ANA").body()))
                    .contains("up to 8h, extend to 12h in all.").doesNotContain("24h").doesNotContain("48h");
        }
    }

    @Test
    void helpWithTheDefaultsNamesThem() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            assertThat(text(h.command("help", "U0ANA").body())).contains("up to 24h, extend to 48h in all.");
        }
    }
}
