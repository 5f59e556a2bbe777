package dev.gpudev.scheduler.timeline;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.BO;
import static dev.gpudev.scheduler.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeInfo;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.QueuePolicy;
import dev.gpudev.scheduler.testing.Fixtures;

class QueuePlannerTest {
    static final GpuType H100 = GpuCatalog.defaults().require("h100");
    static final ServerAccess ACCESS = new ServerAccess("10.0.0.1", 22, "dev", null);
    static int seq = 0x1000;

    /** An active reservation on {@code node} that started at T0 and ends after {@code hours}. */
    static Reservation running(String node, int gpus, int hours) {
        return Fixtures.queued("h100-" + Integer.toHexString(seq++), BO, gpus, Duration.ofHours(hours), T0)
                .provisioning(List.of(new NodeName(node)), T0).active(ACCESS, T0);
    }

    static Reservation waiting(int gpus, int hours, int minutesAfterT0, UserId who) {
        return Fixtures.queued("h100-" + Integer.toHexString(seq++), who, gpus, Duration.ofHours(hours), T0.plusSeconds(60L * minutesAfterT0));
    }

    /** Arrival order with the planner's two knobs, as the replay's baselines set them (easy: 1 promise; fifo: no backfill; gpu-dev: no promise). */
    record Arrival(String label, int reservations, boolean backfill) implements QueuePolicy {
        @Override
        public List<Reservation> order(List<Reservation> queue, Set<UserId> holders, Limits limits, Instant now, Duration backlog) {
            return queue.stream().sorted(Comparator.comparing(Reservation::requestedAt)).toList();
        }
    }

    static QueuePlan plan(QueuePolicy policy, ClusterSnapshot cluster, List<Reservation> live) {
        return QueuePlanner.plan(H100, cluster, live, Set.of(), Limits.defaults(), policy, T0.plusSeconds(3600));
    }

    record Case(QueuePolicy policy, ClusterSnapshot cluster, List<Reservation> running, List<Reservation> queued,
                List<List<String>> expectedStarts) {
    }

    static Stream<Arguments> cases() {
        ClusterSnapshot two = Fixtures.nodes("h100", 2, 8);
        Reservation six = running("h100-1", 6, 4);
        Reservation four = running("h100-1", 4, 4);
        Reservation fourB = running("h100-2", 4, 4);
        Reservation long8 = running("h100-2", 8, 10);
        return Stream.of(
                Arguments.of(Named.of("best fit: a 2-GPU request goes on the fuller node, keeping a whole node free",
                        new Case(QueuePolicy.GPU_DEV_BOT, two, List.of(six), List.of(waiting(2, 1, 0, ANA)), List.of(List.of("h100-1"))))),
                Arguments.of(Named.of("free GPUs are never summed: 4 + 4 free on two nodes do not hold 8",
                        new Case(QueuePolicy.GPU_DEV_BOT, two, List.of(four, fourB), List.of(waiting(8, 1, 0, ANA)), List.of()))),
                Arguments.of(Named.of("a gang takes two whole nodes at once",
                        new Case(QueuePolicy.GPU_DEV_BOT, two, List.of(), List.of(waiting(16, 1, 0, ANA)), List.of(List.of("h100-1", "h100-2"))))),
                Arguments.of(Named.of("a gang never starts on one whole node while the other is busy",
                        new Case(QueuePolicy.GPU_DEV_BOT, two, List.of(fourB), List.of(waiting(16, 1, 0, ANA)), List.of()))),
                Arguments.of(Named.of("backfill: a short request runs in the hole before the head's start",
                        new Case(QueuePolicy.GPU_DEV_BOT, two, List.of(four, long8), List.of(waiting(8, 4, 0, ANA), waiting(4, 2, 1, BO)),
                                List.of(List.of("h100-1"))))),
                Arguments.of(Named.of("no backfill that delays the head: a long request waits",
                        new Case(new Arrival("easy", 1, true), two, List.of(four, long8), List.of(waiting(8, 4, 0, ANA), waiting(4, 6, 1, BO)), List.of()))),
                Arguments.of(Named.of("fifo: nothing passes a waiting request",
                        new Case(new Arrival("fifo", Integer.MAX_VALUE, false), two, List.of(four, long8), List.of(waiting(8, 4, 0, ANA), waiting(4, 2, 1, BO)), List.of()))),
                Arguments.of(Named.of("gpu-dev: whatever fits starts, even if it delays the head",
                        new Case(new Arrival("gpu-dev", 0, true), two, List.of(four, long8), List.of(waiting(8, 4, 0, ANA), waiting(4, 6, 1, BO)),
                                List.of(List.of("h100-1"))))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void startsWhatThePolicyAllows(Case c) {
        List<Reservation> live = new ArrayList<>(c.running());
        live.addAll(c.queued());
        QueuePlan plan = plan(c.policy(), c.cluster(), live);
        assertThat(plan.starting()).extracting(e -> e.startOn().stream().map(NodeName::value).toList())
                .containsExactlyElementsOf(c.expectedStarts());
    }

    @Test
    void everyWaitingRequestHasAPositionAndAnEtaFromEndTimes() {
        Reservation ends4h = running("h100-1", 8, 4);
        Reservation ends6h = running("h100-2", 8, 6);
        Reservation first = waiting(8, 2, 0, ANA);
        Reservation second = waiting(8, 3, 1, BO);
        QueuePlan plan = plan(QueuePolicy.GPU_DEV_BOT, Fixtures.nodes("h100", 2, 8), List.of(ends4h, ends6h, first, second));
        assertThat(plan.waiting()).extracting(QueuePlan.Entry::position, QueuePlan.Entry::eta)
                .containsExactly(tuple(1, T0.plus(Duration.ofHours(4))),
                        tuple(2, T0.plus(Duration.ofHours(6))));
    }

    @Test
    void aLongRequestAgesByTheBacklogWhenItOutlastsAllTheWorkAtHand() {
        ClusterSnapshot two = Fixtures.nodes("h100", 2, 8);
        List<Reservation> busy = List.of(running("h100-1", 8, 2), running("h100-2", 8, 2));
        Reservation longOne = waiting(1, 24, -60, ANA);
        Reservation shortOne = waiting(1, 1, 30, ANA);
        List<Reservation> live = new ArrayList<>(busy);
        live.addAll(List.of(shortOne, longOne));
        // backlog (16 + 24 + 1 GPU-hours over 16 GPUs) = 2.6 h: the 24-hour request waited 2 h, 0.8 backlogs; the short one 0.5
        assertThat(plan(QueuePolicy.GPU_DEV_BOT, two, live).waiting()).extracting(QueuePlan.Entry::reservation)
                .containsExactly(longOne, shortOne);
        live.add(waiting(8, 24, 59, ANA));
        // 192 GPU-hours more queued: the backlog is 14.6 h and the short request goes first again
        assertThat(plan(QueuePolicy.GPU_DEV_BOT, two, live).waiting()).extracting(QueuePlan.Entry::reservation)
                .startsWith(shortOne, longOne);
    }

    @Test
    void startingARequestLeavesTheBacklogAsItWasSoAPartlyWrittenDecisionOrdersTheSame() {
        Instant now = T0.plusSeconds(3600);
        ClusterSnapshot nodes = Fixtures.nodes("h100", 2, 8);
        Reservation busy = running("h100-1", 8, 3);
        Reservation next = waiting(4, 2, 10, ANA);
        Reservation other = waiting(2, 1, 20, BO);
        Duration queued = QueuePlanner.backlog(H100, nodes, holds(List.of(busy)), List.of(next, other), Set.of(), Limits.defaults(), now);
        Reservation started = next.provisioning(List.of(new NodeName("h100-2")), now);
        Duration afterStart = QueuePlanner.backlog(H100, nodes, holds(List.of(busy, started)), List.of(other), Set.of(), Limits.defaults(), now);
        assertThat(afterStart).isEqualTo(queued).isEqualTo(Duration.ofSeconds((8L * 2 + 4 * 2 + 2) * 3600 / 16));
    }

    private static Map<NodeName, List<QueuePlanner.Hold>> holds(List<Reservation> holding) {
        Map<NodeName, List<QueuePlanner.Hold>> m = new HashMap<>();
        holding.forEach(r -> r.nodes().forEach(n -> m.computeIfAbsent(n, k -> new ArrayList<>()).add(QueuePlanner.Hold.of(r))));
        return m;
    }

    @Test
    void aProvisioningReservationCountsAsEndingAfterItsDurationAndTheAllowance() {
        Instant since = T0.plusSeconds(1800);
        Reservation starting = Fixtures.queued("h100-0a0a", BO, 8, Duration.ofHours(2), T0).provisioning(List.of(new NodeName("h100-1")), since);
        QueuePlan plan = plan(QueuePolicy.GPU_DEV_BOT, Fixtures.nodes("h100", 1, 8), List.of(starting, waiting(8, 1, 0, ANA)));
        assertThat(plan.waiting().getFirst().eta()).isEqualTo(since.plus(Duration.ofHours(2)).plus(Limits.defaults().provisionTimeout()));
    }

    @Test
    void aDrainedNodeIsNeitherUsedNowNorPromisedLater() {
        Reservation busy = running("h100-1", 8, 2);
        QueuePlan plan = QueuePlanner.plan(H100, Fixtures.nodes("h100", 1, 8), List.of(busy, waiting(1, 1, 0, ANA)),
                Set.of(new NodeName("h100-1")), Limits.defaults(), QueuePolicy.GPU_DEV_BOT, T0.plusSeconds(60));
        assertThat(plan.waiting()).singleElement().satisfies(e -> assertThat(e.eta()).isNull());
    }

    @Test
    void placementGroupsAreNotMixedForAGang() {
        ClusterSnapshot split = new ClusterSnapshot(List.of(
                new NodeInfo(new NodeName("a-1"), "h100", 8, 0, true, "pg-a", null),
                new NodeInfo(new NodeName("b-1"), "h100", 8, 0, true, "pg-b", null),
                new NodeInfo(new NodeName("b-2"), "h100", 8, 0, true, "pg-b", null)));
        Reservation onB = running("b-1", 1, 2);
        QueuePlan plan = plan(QueuePolicy.GPU_DEV_BOT, split, List.of(onB, waiting(16, 1, 0, ANA)));
        assertThat(plan.starting()).isEmpty();
        assertThat(plan.waiting().getFirst().eta()).isEqualTo(T0.plus(Duration.ofHours(2)));
    }
}
