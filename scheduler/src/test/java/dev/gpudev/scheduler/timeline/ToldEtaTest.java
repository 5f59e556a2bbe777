package dev.gpudev.scheduler.timeline;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.BO;
import static dev.gpudev.scheduler.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.QueuePolicy;
import dev.gpudev.scheduler.testing.Fixtures;

class ToldEtaTest {
    final ClusterSnapshot nodes = Fixtures.nodes("h100", 2, 8);
    final Instant now = T0.plus(Duration.ofHours(1));
    /** Bo's servers on h100-1 (10 h) and h100-2 (4 h), both from T0. */
    final List<Reservation> running = List.of(QueuePlannerTest.running("h100-1", 8, 10), QueuePlannerTest.running("h100-2", 8, 4));
    /** Ana's two whole-node requests, 1 h then 2 h. */
    final List<Reservation> queue = List.of(QueuePlannerTest.waiting(8, 1, 10, ANA), QueuePlannerTest.waiting(8, 2, 20, ANA));

    QueuePlan plan(ExpectedRun expected) {
        Map<NodeName, List<QueuePlanner.Hold>> holds = new HashMap<>();
        running.forEach(r -> r.nodes().forEach(n -> holds.computeIfAbsent(n, k -> new ArrayList<>()).add(QueuePlanner.Hold.of(r))));
        return QueuePlanner.plan(QueuePlannerTest.H100, nodes, queue, holds, Set.of(BO), Map.of(BO, 16), Set.of(), Limits.defaults(),
                QueuePolicy.GPU_DEV_BOT, now, r -> true, expected);
    }

    @Test
    void theToldEtaEndsRunningAndPromisedWorkAtTheLearnedShareWhileThePlanKeepsTheReservedEnds() {
        QueuePlan reserved = plan(ExpectedRun.NONE);
        // reserved ends: h100-2 frees at T0+4h, the first request runs to 5h, the second follows there
        assertThat(reserved.waiting()).extracting(QueuePlan.Entry::eta, QueuePlan.Entry::told).containsExactly(
                tuple(T0.plus(Duration.ofHours(4)), T0.plus(Duration.ofHours(4))),
                tuple(T0.plus(Duration.ofHours(5)), T0.plus(Duration.ofHours(5))));

        QueuePlan learned = plan(owner -> 0.5);
        // Bo's servers are expected to end at half their time (h100-2 at T0+2h), Ana's first request to run 30 min
        assertThat(learned.waiting()).extracting(QueuePlan.Entry::told)
                .containsExactly(T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofMinutes(150)));
        // what decides stays: the same planned starts, positions and promised nodes, nothing started
        assertThat(learned.entries()).extracting(QueuePlan.Entry::eta, QueuePlan.Entry::position, QueuePlan.Entry::promised,
                QueuePlan.Entry::startOn).isEqualTo(reserved.entries().stream()
                .map(e -> tuple(e.eta(), e.position(), e.promised(), e.startOn())).toList());
    }

    @Test
    void aServerThatOutlivedItsExpectedEndIsExpectedToUseTheSameShareOfWhatIsLeft() {
        Reservation r = QueuePlannerTest.running("h100-1", 8, 10);
        Instant late = T0.plus(Duration.ofHours(6));
        // expected at T0+5h, which has passed: half of the 4 h left
        assertThat(QueuePlanner.Hold.of(r).expected(owner -> 0.5, Limits.defaults(), late)).isEqualTo(T0.plus(Duration.ofHours(8)));
        assertThat(QueuePlanner.Hold.of(r).expected(owner -> 0.5, Limits.defaults(), now)).isEqualTo(T0.plus(Duration.ofHours(5)));
        assertThat(QueuePlanner.Hold.of(r).expected(ExpectedRun.NONE, Limits.defaults(), now)).isEqualTo(r.endsAt());
    }
}
