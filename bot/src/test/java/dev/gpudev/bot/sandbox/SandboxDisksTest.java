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
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;

/**
 * The sandbox story on the real console: a reservation with a named disk, a file written, the reservation
 * ending, a new reservation that mounts the same disk and sees the file, a snapshot listed and restored.
 */
class SandboxDisksTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aFileWrittenOnADiskOutlivesItsServerAndASnapshotBringsItBack() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        MutableClock clock = new MutableClock(Fixtures.T0);
        try (Bot bot = Bot.start(TestBots.config(Map.of()), Map.of(), clock, out)) {
            SandboxConsole console = bot.console().orElseThrow();
            console.handle("/gpu disk create data 50");
            await().atMost(WAIT).until(() -> text(printed).contains("Created disk `data`"));
            console.handle(":write data notes.txt too early");
            assertThat(text(printed)).contains("(no server of yours has `data` mounted, so nothing was written");

            console.handle("/gpu reserve h100 1 1h --disk data");
            String first = activeId(bot);
            console.handle(":write data notes.txt hello from the first server");
            assertThat(text(printed)).contains("(wrote /disks/data/notes.txt on server " + first + ")");

            console.handle(":advance 61m");
            await().atMost(WAIT).until(() -> bot.service().state().live().isEmpty());
            console.handle("/gpu reserve h100 1 1h --disk data");
            String second = activeId(bot);
            assertThat(second).isNotEqualTo(first);
            console.handle(":ls data");
            assertThat(text(printed)).contains("/disks/data/notes.txt  \"hello from the first server\"");

            console.handle(":write data notes.txt overwritten by mistake");
            console.handle(":advance 61m");
            await().atMost(WAIT).until(() -> bot.service().state().live().isEmpty());
            console.handle("/gpu disk snapshots data");
            await().atMost(WAIT).until(() -> text(printed).contains("`end-" + first + "` — at a reservation's end"));
            console.handle("/gpu disk restore data end-" + first);
            await().atMost(WAIT).until(() -> text(printed).contains("Restored `data` from snapshot `end-" + first + "`"));
            int before = text(printed).length();
            console.handle(":ls data");
            assertThat(text(printed).substring(before)).contains("notes.txt  \"hello from the first server\"").doesNotContain("overwritten");
        }
    }

    private static String activeId(Bot bot) {
        await().atMost(WAIT).until(() -> bot.service().state().live().values().stream().anyMatch(r -> r.state() == ReservationState.ACTIVE));
        return bot.service().state().live().values().iterator().next().id().value();
    }

    private static String text(ByteArrayOutputStream printed) {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
