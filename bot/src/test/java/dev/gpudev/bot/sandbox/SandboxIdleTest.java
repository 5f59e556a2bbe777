package dev.gpudev.bot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gpudev.bot.Bot;
import dev.gpudev.bot.TestBots;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;

/** The sandbox's simulated GPUs: idle unless `:busy`, the question printed as a DM with its buttons, `:help` naming the inputs. */
class SandboxIdleTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anIdleServerIsAskedAboutOnTheConsoleABusyOneIsNotAndBadInputsSayWhatWorks() throws Exception {
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        try (Bot bot = Bot.start(TestBots.config(Map.of()), Map.of(), new MutableClock(Fixtures.T0), out)) {
            SandboxConsole console = bot.console().orElseThrow();
            console.handle("/gpu reserve h100 8 4h");
            console.handle(":as U0BO");
            console.handle("/gpu reserve h100 8 4h");
            await().atMost(Duration.ofSeconds(10)).until(() -> bot.service().state().inState(ReservationState.ACTIVE).size() == 2);
            Reservation mine = owned(bot, "U0SANDBOX");
            Reservation bos = owned(bot, "U0BO");

            console.handle(":busy " + bos.id().value().substring(0, 7) + " 140");
            console.handle(":busy nope");
            console.handle(":busy " + bos.id());
            console.handle(":help");
            assertThat(printed()).contains("(the percent is a number from 0 to 100, not `140`; nothing changed)",
                    "(no running server `nope`; `/gpu list all` shows the running ones)",
                    "(the GPUs of " + bos.id() + " now run at 85 %)", "`:busy <id> [percent]` runs a server's GPUs",
                    "`:tz Europe/Berlin` sets your Slack time zone", "`:write <disk> <path> [text]` writes a file");

            console.handle(":advance 31m");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(printed())
                    .contains("*" + mine.id() + "* has used its 8 GPUs 0 % for the last 30 min. Still using it?")
                    .containsPattern("\\[b\\d+ Keep\\] \\[b\\d+ Release\\]"));
            assertThat(printed()).doesNotContain("*" + bos.id() + "* has used");

            console.handle(":idle " + bos.id());
            assertThat(printed()).contains("(the GPUs of " + bos.id() + " now run at 0 %)");
        }
    }

    private static Reservation owned(Bot bot, String user) {
        return bot.service().state().live().values().stream().filter(r -> r.owner().value().equals(user)).findFirst().orElseThrow();
    }
}
