package dev.gpudev.bot.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.app.Board;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.testing.Fixtures;

/** {@code /gpu availability}: the start times per request size read smallest first, whatever order the board holds. */
class AvailabilityViewTest {

    @Test
    void theStartTimesAreListedBySizeAscending() {
        Board real = Board.of(SchedulerState.of(List.of(), Fixtures.nodes("h100", 1, 8)), new Engine(GpuCatalog.defaults(), Limits.defaults()),
                new RequestValidator(GpuCatalog.defaults(), Limits.defaults()), Fixtures.T0);
        Board.TypeStatus t = real.types().getFirst();
        Instant later = Fixtures.T0.plusSeconds(3600);
        Map<Integer, Instant> unordered = new LinkedHashMap<>();
        unordered.put(8, later);
        unordered.put(1, Fixtures.T0);
        unordered.put(4, later);
        unordered.put(2, Fixtures.T0);
        Board board = new Board(real.now(), real.live(), real.queues(), List.of(new Board.TypeStatus(t.type(), t.free(), t.total(),
                t.queued(), t.largestRequest(), t.nextFree(), t.nodes(), unordered, t.validCounts())), real.limits(), real.form());

        assertThat(CommandViews.availability(board)).contains("an hour of 1 GPU now · 2 GPUs now · 4 GPUs ~")
                .containsPattern("4 GPUs ~[^·]+ · 8 GPUs ~");
    }
}
