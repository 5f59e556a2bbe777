package dev.gpudev.bot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gpudev.bot.Bot;
import dev.gpudev.bot.TestBots;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;

/** The README's run command: no Slack token, commands on stdin, every reply printed. */
class SandboxModeTest {

    @Test
    void reservingOnTheConsolePrintsTheDmWithTheSshCommand() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        try (Bot bot = Bot.start(TestBots.config(Map.of()), Map.of(), new MutableClock(Fixtures.T0), out)) {
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("SANDBOX mode").contains("signing secret");
            String input = "/gpu reserve h100 4 2h\n";
            bot.console().orElseThrow().run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(printed.toString(StandardCharsets.UTF_8))
                    .contains("DM to U0SANDBOX").contains("is ready").contains("ssh dev@h100-sim-1.sandbox.gpu-dev.local"));
        }
    }

    @Test
    void reserveWithoutArgumentsAnswersWithTheUsageSinceTheConsoleHasNoForms() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        try (Bot bot = Bot.start(TestBots.config(Map.of()), Map.of(), new MutableClock(Fixtures.T0), out)) {
            bot.console().orElseThrow().handle("/gpu reserve");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(printed.toString(StandardCharsets.UTF_8))
                    .contains("only visible to you").contains("A reservation needs a GPU type, a count and a duration")
                    .contains("/gpu reserve <type> <gpus> <duration>"));
        }
    }

    @Test
    void advanceSaysTheNewTimeReadablyAndRefusesWhatIsNotADuration() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        MutableClock clock = new MutableClock(Fixtures.T0);
        try (Bot bot = Bot.start(TestBots.config(Map.of()), Map.of(), clock, out)) {
            SandboxConsole console = bot.console().orElseThrow();
            console.handle(":advance soon");
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("(`:advance` takes a duration such as 30m, 2h or 1h30m, not `soon`; time did not move)");
            console.handle(":advance 90m");
            String moved = printed.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("(sandbox time moved")).findFirst().orElseThrow();
            // the transcript's time line is a documented interface: still an ISO-8601 instant, now to the second
            assertThat(moved).matches("\\(sandbox time moved 1h 30m forward, now \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z\\)");
        }
    }

    @Test
    void buttonsArePressedByTheirShortLabelAndTimeCanBeAdvanced() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        try (Bot bot = Bot.start(TestBots.config(Map.of()), Map.of(), new MutableClock(Fixtures.T0), out)) {
            SandboxConsole console = bot.console().orElseThrow();
            console.handle("/gpu reserve b200 8 1h");
            await().atMost(Duration.ofSeconds(10)).until(() -> printed.toString(StandardCharsets.UTF_8).contains("is ready"));
            String id = bot.service().state().live().values().iterator().next().id().value();
            console.handle(":advance 50m");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(printed.toString(StandardCharsets.UTF_8))
                    .contains("ends in 10m").contains("[wall inside"));
            String text = printed.toString(StandardCharsets.UTF_8);
            // the reminder inside the server (wall) is plain text, through the bot's real notifier path
            String wall = text.substring(text.indexOf("[wall inside " + id + "] "));
            wall = wall.substring(0, wall.indexOf('\n', wall.indexOf('\n') + 1));
            assertThat(wall).isEqualTo("[wall inside " + id + "] gpu-dev: reservation " + id + " (8 × B200) ends in 10m, at 10:00 UTC.\n"
                    + "Extend it with the button in my DM to you or /gpu extend " + id + " 2h, or release it if you are done.");
            String release = text.substring(0, text.lastIndexOf(" Release]"));
            String label = release.substring(release.lastIndexOf("[b") + 1);
            console.handle(label);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(printed.toString(StandardCharsets.UTF_8)).contains("was released"));
            assertThat(bot.service().state().live()).isEmpty();
        }
    }
}
