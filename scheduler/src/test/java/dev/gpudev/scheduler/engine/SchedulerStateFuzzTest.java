package dev.gpudev.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeInfo;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.Placer;
import dev.gpudev.scheduler.policy.QueuePolicy;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.SeedBytes;
import dev.gpudev.scheduler.testing.Seeds;
import dev.gpudev.scheduler.timeline.QueuePlan;
import dev.gpudev.scheduler.timeline.QueuePlanner;
import dev.gpudev.scheduler.timeline.Timeline;

/** The incremental {@link SchedulerState}: whatever the sequence of changes, its indexes equal a recomputation from {@link SchedulerState#live()}. */
class SchedulerStateFuzzTest {
    static final GpuCatalog CATALOG = GpuCatalog.defaults();
    static final List<String> TYPES = List.of("h100", "a100");
    static final ClusterSnapshot CLUSTER = Fixtures.plus(Fixtures.nodes("h100", 6, 8), Fixtures.nodes("a100", 4, 8));
    static final ServerAccess ACCESS = new ServerAccess("10.0.0.1", 22, "dev", null);
    static final Comparator<Reservation> ARRIVAL = Comparator.comparing(Reservation::requestedAt).thenComparing(Reservation::id);

    static final int[] GPUS = {1, 2, 4, 8, 16};
    static final int MAX_CHANGES = 300;

    /** One change: a new request, or something happening to the {@code pick}-th live reservation. */
    record Change(int kind, int pick, int user, int gpus, int minutes) {
        static Change read(FuzzedDataProvider data) {
            return new Change(data.consumeInt(0, 7), data.consumeInt(0, 1000), data.consumeInt(0, 4),
                    GPUS[data.consumeInt(0, GPUS.length - 1)], data.consumeInt(0, 30));
        }

        void write(SeedBytes seed) {
            seed.intInRange(kind, 0, 7).intInRange(pick, 0, 1000).intInRange(user, 0, 4)
                    .intInRange(List.of(1, 2, 4, 8, 16).indexOf(gpus), 0, GPUS.length - 1).intInRange(minutes, 0, 30);
        }
    }

    static List<Change> changes(FuzzedDataProvider data) {
        List<Change> changes = new ArrayList<>();
        do {
            changes.add(Change.read(data));
        } while (data.remainingBytes() > 0 && changes.size() < MAX_CHANGES);
        return changes;
    }

    /** The seed corpus, replayed by {@code mvn test}: sequences of every kind of change, as jqwik drew them (up to 300). */
    static final Map<String, List<Change>> SEEDS = seeds();

    private static Map<String, List<Change>> seeds() {
        Map<String, List<Change>> seeds = new LinkedHashMap<>();
        seeds.put("fill-drain-end", List.of(new Change(0, 0, 0, 8, 0), new Change(0, 1, 1, 16, 1), new Change(0, 2, 2, 4, 0),
                new Change(1, 0, 0, 1, 5), new Change(2, 1, 0, 1, 5), new Change(2, 1, 0, 1, 5), new Change(7, 1, 0, 1, 0),
                new Change(2, 0, 0, 1, 30), new Change(4, 0, 0, 1, 1), new Change(5, 2, 0, 1, 1), new Change(3, 0, 0, 1, 10),
                new Change(7, 2, 0, 1, 0), new Change(3, 1, 0, 1, 10), new Change(6, 0, 0, 1, 0), new Change(3, 0, 0, 1, 0)));
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 1; i <= 12; i++) {
            List<Change> changes = new ArrayList<>();
            for (int n = random.nextInt(1, MAX_CHANGES + 1); n > 0; n--) {
                changes.add(new Change(random.nextInt(8), random.nextInt(1001), random.nextInt(5), GPUS[random.nextInt(GPUS.length)],
                        random.nextInt(31)));
            }
            seeds.put("random-" + i, changes);
        }
        return seeds;
    }

    @FuzzTest(maxDuration = "2m")
    void theIndexesAlwaysEqualARecomputationFromLive(FuzzedDataProvider data) {
        SchedulerState state = SchedulerState.of(List.of(), CLUSTER);
        Map<ReservationId, Reservation> model = new TreeMap<>();
        Instant now = Fixtures.T0;
        int n = 0;
        for (Change c : changes(data)) {
            now = now.plus(Duration.ofMinutes(c.minutes()));
            if (c.kind() == 7) {
                state = state.withDrained(c.pick() % 2 == 0 ? Set.of() : Set.of(new NodeName("h100-" + (1 + c.pick() % 6))));
            } else {
                Reservation r = change(c, model, n++, now);
                state = state.with(r);
                if (r.live()) {
                    model.put(r.id(), r);
                } else {
                    model.remove(r.id());
                }
            }
            assertIndexed(state, model);
        }
    }

    @Test
    void theSeedFilesAreTheNamedSequences() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        SEEDS.forEach((name, changes) -> {
            SeedBytes seed = new SeedBytes();
            changes.forEach(c -> c.write(seed));
            files.put(name, seed.bytes());
        });
        Seeds.check(SchedulerStateFuzzTest.class, "theIndexesAlwaysEqualARecomputationFromLive", files);
    }

    /** Thousands of reservations, so every bucket holds many: checked every 250 changes. */
    @Test
    void manyReservations() {
        SplittableRandom random = new SplittableRandom(11);
        SchedulerState state = SchedulerState.of(List.of(), CLUSTER);
        Map<ReservationId, Reservation> model = new TreeMap<>();
        Instant now = Fixtures.T0;
        for (int i = 0; i < 6000; i++) {
            Change c = new Change(random.nextInt(10) < 5 ? 0 : random.nextInt(1, 7), random.nextInt(100_000), random.nextInt(50),
                    1 << random.nextInt(4), random.nextInt(2));
            now = now.plus(Duration.ofMinutes(c.minutes()));
            Reservation r = change(c, model, i, now);
            state = state.with(r);
            if (r.live()) {
                model.put(r.id(), r);
            } else {
                model.remove(r.id());
            }
            if (i % 250 == 0) {
                assertIndexed(state, model);
            }
        }
        assertThat(model.size()).isGreaterThan(1000);
        assertIndexed(state, model);
    }

    private static Reservation change(Change c, Map<ReservationId, Reservation> model, int n, Instant now) {
        List<Reservation> live = new ArrayList<>(model.values());
        if (c.kind() == 0 || live.isEmpty()) {
            String type = TYPES.get(c.pick() % TYPES.size());
            return Reservation.queued(new ReservationId(type + "-" + String.format("%06x", n)), new UserId("U" + c.user()), type,
                    c.gpus(), Duration.ofHours(1 + c.minutes() % 8), RequestOptions.NONE, now.minusSeconds(c.pick() % 5));
        }
        Reservation r = live.get(c.pick() % live.size());
        GpuType type = CATALOG.require(r.gpuType());
        return switch (c.kind()) {
            case 1 -> r.state() == ReservationState.QUEUED ? r.provisioning(nodes(r, type, c.pick()), now) : r.withDetail("moved " + n);
            case 2 -> switch (r.state()) {
                case QUEUED -> r.provisioning(nodes(r, type, c.pick()), now);
                case PROVISIONING -> r.active(ACCESS, now);
                default -> r.withReminderSent(Duration.ofMinutes(5));
            };
            case 3 -> r.ended(EndReason.CANCELLED, "cancelled", now);
            case 4 -> r.extended(Duration.ofHours(1));
            case 5 -> r.withVersion(r.version() + 1);
            default -> r;
        };
    }

    private static List<NodeName> nodes(Reservation r, GpuType type, int pick) {
        List<NodeName> on = new ArrayList<>();
        int count = type.nodesFor(r.gpus());
        for (int i = 0; i < count; i++) {
            on.add(new NodeName(r.gpuType() + "-" + (1 + (pick + i) % 4)));
        }
        return on;
    }

    static void assertIndexed(SchedulerState state, Map<ReservationId, Reservation> model) {
        assertThat(state.live()).isEqualTo(model).hasSize(model.size());
        model.values().forEach(r -> assertThat(state.find(r.id())).contains(r));
        SchedulerState fresh = new SchedulerState(model, state.cluster(), state.drained());
        assertThat(state).isEqualTo(fresh);
        assertThat(List.copyOf(state.live().keySet())).as("iteration order depends on the contents only")
                .isEqualTo(List.copyOf(fresh.live().keySet()));
        Map<NodeName, Integer> used = new HashMap<>();
        Map<UserId, Integer> asked = new HashMap<>();
        Map<UserId, Integer> held = new HashMap<>();
        for (Reservation r : model.values()) {
            asked.merge(r.owner(), r.gpus(), Integer::sum);
            if (r.state().holdsGpus()) {
                held.merge(r.owner(), r.gpus(), Integer::sum);
                r.nodes().forEach(node -> used.merge(node, r.gpusPerNode(), Integer::sum));
            }
        }
        used.values().removeIf(v -> v == 0);
        assertThat(state.used()).isEqualTo(used);
        assertThat(state.held()).isEqualTo(held);
        for (int u = 0; u < 50; u++) {
            UserId user = new UserId("U" + u);
            assertThat(state.gpusOf(user)).isEqualTo(asked.getOrDefault(user, 0));
            assertThat(state.heldBy(user)).isEqualTo(held.getOrDefault(user, 0));
        }
        Engine timeouts = new Engine(CATALOG, Limits.defaults());
        assertThat(timeouts.nextWakeup(state)).as("incremental next wake-up").isEqualTo(new Timeline(Limits.defaults()).nextWakeup(model.values()));
        assertThat(state.free()).isEqualTo(Placer.free(state.cluster(), model.values(), state.drained()));
        Engine engine = new Engine(CATALOG, Limits.defaults());
        Instant now = Fixtures.T0.plus(Duration.ofDays(1));
        Map<String, QueuePlan> plans = engine.plans(state, now);
        for (String type : TYPES) {
            assertThat(state.queue(type)).isEqualTo(model.values().stream()
                    .filter(r -> r.state() == ReservationState.QUEUED && r.gpuType().equals(type)).sorted(ARRIVAL).toList());
            assertThat(new HashSet<>(state.holding(type))).isEqualTo(new HashSet<>(model.values().stream()
                    .filter(r -> r.state().holdsGpus() && r.gpuType().equals(type)).toList()));
            assertThat(state.holders(type)).isEqualTo(model.values().stream()
                    .filter(r -> r.state().holdsGpus() && r.gpuType().equals(type)).map(Reservation::owner).collect(Collectors.toSet()));
            for (NodeInfo node : state.cluster().nodes()) {
                assertThat(state.holds(type).getOrDefault(node.name(), List.of())).as("holds on " + node.name()).containsExactlyInAnyOrderElementsOf(model.values().stream()
                        .filter(r -> r.state().holdsGpus() && r.gpuType().equals(type) && r.nodes().contains(node.name()))
                        .map(QueuePlanner.Hold::of).toList());
            }
            QueuePlan legacy = QueuePlanner.plan(CATALOG.require(type), state.cluster(), model.values(), state.drained(), engine.limits(),
                    QueuePolicy.GPU_DEV_BOT, now, r -> true, state.releases().expected());
            assertThat(plans.getOrDefault(type, new QueuePlan(List.of()))).as("the plan from the indexes").isEqualTo(legacy);
        }
    }
}
