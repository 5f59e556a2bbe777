package dev.gpudev.scheduler.timeline;

import static dev.gpudev.scheduler.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.QueuePolicy;
import dev.gpudev.scheduler.testing.Fixtures;

class AvailabilityTest {
    @Test
    void showsFreeAndTotalPerTypeAndNodeTheQueueAndWhenEachSizeWouldStart() {
        Reservation six = QueuePlannerTest.running("h100-1", 6, 2);
        Reservation eight = QueuePlannerTest.running("h100-2", 8, 4);
        Reservation waiting = QueuePlannerTest.waiting(8, 1, 0, Fixtures.ANA);
        Instant now = T0.plusSeconds(60);
        Availability a = Availability.of(GpuCatalog.defaults(), Fixtures.plus(Fixtures.nodes("h100", 2, 8), Fixtures.nodes("t4", 1, 4)),
                List.of(six, eight, waiting), Set.of(new NodeName("t4-1")), Limits.defaults(), QueuePolicy.GPU_DEV_BOT, now);

        assertThat(a.types()).extracting(Availability.TypeView::type).containsExactly("h100", "t4");
        Availability.TypeView h100 = a.types().getFirst();
        assertThat(h100.free()).isEqualTo(2);
        assertThat(h100.total()).isEqualTo(16);
        assertThat(h100.queued()).isEqualTo(1);
        assertThat(h100.nodes()).extracting(Availability.NodeView::free).containsExactly(2, 0);
        assertThat(h100.etas().get(1)).isEqualTo(now);
        assertThat(h100.etas().get(2)).isEqualTo(now);
        // the queued 8-GPU request arrived first and is promised h100-1 from T0+2h to T0+3h
        assertThat(h100.etas().get(4)).isEqualTo(T0.plus(Duration.ofHours(3)));
        assertThat(h100.etas().get(8)).isEqualTo(T0.plus(Duration.ofHours(3)));

        Availability.TypeView t4 = a.types().getLast();
        assertThat(t4.nodes()).singleElement().satisfies(n -> assertThat(n.schedulable()).isFalse());
        assertThat(t4.etas()).isEmpty();
    }
}
