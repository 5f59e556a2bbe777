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

/** A new user's first move: reserve, then jump time at once. The server must have started, not failed its start. */
class SandboxAdvanceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void advancingRightAfterAReserveFindsTheServerStartedNotTimedOut() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        // a start that takes an hour of real time: only the advance can make it ready within the test
        try (Bot bot = Bot.start(TestBots.config(Map.of("cluster.simulated.ready-delay", "PT1H")), Map.of(), new MutableClock(Fixtures.T0), out)) {
            SandboxConsole console = bot.console().orElseThrow();
            console.handle("/gpu reserve h100 4 2h");
            await().atMost(WAIT).until(() -> bot.service().state().live().values().stream()
                    .anyMatch(r -> r.state() == ReservationState.PROVISIONING));
            console.handle(":advance 31m");
            await().atMost(WAIT).until(() -> printed.toString(StandardCharsets.UTF_8).contains("is ready"));
            Reservation r = bot.service().state().live().values().iterator().next();
            assertThat(r.state()).isEqualTo(ReservationState.ACTIVE);
            assertThat(Duration.between(bot.service().clock().instant(), r.endsAt())).isBetween(Duration.ofMinutes(85), Duration.ofMinutes(90));
            assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain("not ready within");
        }
    }
}
