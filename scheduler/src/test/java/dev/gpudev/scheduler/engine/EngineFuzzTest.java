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
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeInfo;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.Placement;
import dev.gpudev.scheduler.policy.Placer;
import dev.gpudev.scheduler.policy.QueuePolicy;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.SeedBytes;
import dev.gpudev.scheduler.testing.Seeds;
import dev.gpudev.scheduler.timeline.QueuePlan;
import dev.gpudev.scheduler.timeline.QueuePlanner;

/**
 * The engine's invariants over workloads the fuzzer writes. {@code mvn test} replays the seeds in
 * {@code EngineFuzzTestInputs/<method>/} (the workloads in {@link #SEEDS}); {@code JAZZER_FUZZ=1} searches for more.
 */
class EngineFuzzTest {
    static final GpuCatalog CATALOG = GpuCatalog.defaults();
    static final GpuType H100 = CATALOG.require("h100");
    static final ServerAccess ACCESS = new ServerAccess("10.0.0.1", 22, "dev", null);
    static final ClusterSnapshot CLUSTER = new ClusterSnapshot(List.of(
            new NodeInfo(new NodeName("a-1"), "h100", 8, 0, true, "pg-a", null),
            new NodeInfo(new NodeName("a-2"), "h100", 8, 0, true, "pg-a", null),
            new NodeInfo(new NodeName("b-1"), "h100", 8, 0, true, "pg-b", null),
            new NodeInfo(new NodeName("c-1"), "h100", 4, 0, true, "pg-c", null)));

    static final int[] GPUS = {1, 2, 4, 8, 16};
    static final int MAX_STEPS = 40;

    /** One step of a workload: a request, or an existing reservation being ready or cancelled, after some minutes. */
    record Step(int minutes, int kind, int gpus, int hours, int user, int pick) {
        static Step read(FuzzedDataProvider data) {
            return new Step(data.consumeInt(0, 180), data.consumeInt(0, 3), GPUS[data.consumeInt(0, GPUS.length - 1)],
                    data.consumeInt(1, 8), data.consumeInt(0, 3), data.consumeInt(0, 50));
        }

        void write(SeedBytes seed) {
            seed.intInRange(minutes, 0, 180).intInRange(kind, 0, 3).intInRange(List.of(1, 2, 4, 8, 16).indexOf(gpus), 0, GPUS.length - 1)
                    .intInRange(hours, 1, 8).intInRange(user, 0, 3).intInRange(pick, 0, 50);
        }
    }

    /** One to {@value #MAX_STEPS} steps, as long as the input lasts. */
    static List<Step> workload(FuzzedDataProvider data) {
        List<Step> steps = new ArrayList<>();
        do {
            steps.add(Step.read(data));
        } while (data.remainingBytes() > 0 && steps.size() < MAX_STEPS);
        return steps;
    }

    static byte[] seed(List<Step> steps) {
        SeedBytes seed = new SeedBytes();
        steps.forEach(s -> s.write(seed));
        return seed.bytes();
    }

    /** Found by jqwik on a clean clone (seed -6084780181775054717), shrunk. */
    static final List<Step> SMALL_BEHIND_GANG = List.of(new Step(0, 0, 1, 1, 0, 0), new Step(0, 0, 1, 1, 0, 0), new Step(0, 0, 1, 1, 0, 0),
            new Step(0, 0, 1, 1, 0, 0), new Step(0, 0, 1, 1, 0, 0), new Step(0, 0, 16, 1, 1, 0),
            new Step(16, 0, 1, 1, 0, 0), new Step(0, 0, 8, 1, 0, 0), new Step(0, 0, 8, 1, 0, 0),
            new Step(0, 0, 1, 1, 1, 0));

    /** The seed corpus: hand-written scenarios, the shrunk case, and random workloads as jqwik drew them. */
    static final Map<String, List<Step>> SEEDS = seeds();

    private static Map<String, List<Step>> seeds() {
        Map<String, List<Step>> seeds = new LinkedHashMap<>();
        seeds.put("small-behind-gang", SMALL_BEHIND_GANG);
        seeds.put("full-cluster-then-queue", List.of(new Step(0, 0, 8, 4, 0, 0), new Step(1, 0, 8, 2, 1, 0), new Step(1, 0, 8, 3, 2, 0),
                new Step(1, 0, 4, 2, 3, 0), new Step(1, 0, 8, 1, 3, 0), new Step(1, 0, 2, 1, 1, 0), new Step(5, 2, 1, 1, 0, 0),
                new Step(5, 2, 1, 1, 0, 1), new Step(5, 2, 1, 1, 0, 2), new Step(60, 3, 1, 1, 0, 1), new Step(1, 0, 16, 2, 2, 0)));
        seeds.put("gangs-in-one-placement-group", List.of(new Step(0, 0, 16, 2, 0, 0), new Step(0, 0, 16, 2, 1, 0), new Step(0, 0, 4, 1, 2, 0),
                new Step(10, 2, 1, 1, 0, 0), new Step(10, 2, 1, 1, 0, 1), new Step(130, 0, 16, 1, 3, 0), new Step(0, 3, 1, 1, 0, 0)));
        seeds.put("gang-beside-part-used-nodes", List.of(new Step(0, 0, 4, 2, 0, 0), new Step(0, 0, 4, 2, 1, 0), new Step(0, 0, 16, 1, 2, 0),
                new Step(0, 0, 2, 1, 3, 0), new Step(0, 2, 1, 1, 0, 0), new Step(0, 2, 1, 1, 0, 1), new Step(121, 0, 8, 1, 0, 0)));
        seeds.put("per-user-cap", List.of(new Step(0, 0, 16, 8, 0, 0), new Step(0, 0, 8, 8, 0, 0), new Step(0, 0, 1, 1, 0, 0),
                new Step(0, 0, 4, 1, 1, 0), new Step(30, 2, 1, 1, 0, 0), new Step(90, 3, 1, 1, 0, 0), new Step(0, 1, 8, 2, 0, 0)));
        seeds.put("cancel-while-queued", List.of(new Step(0, 0, 8, 8, 0, 0), new Step(0, 0, 8, 8, 1, 0), new Step(0, 0, 8, 8, 2, 0),
                new Step(0, 0, 8, 8, 3, 0), new Step(0, 0, 4, 8, 0, 0), new Step(2, 3, 1, 1, 0, 4), new Step(2, 3, 1, 1, 0, 3),
                new Step(2, 0, 2, 1, 1, 0)));
        seeds.put("expiry-frees-for-the-queue", List.of(new Step(0, 0, 8, 1, 0, 0), new Step(0, 0, 8, 1, 1, 0), new Step(0, 0, 8, 1, 2, 0),
                new Step(0, 0, 4, 1, 3, 0), new Step(0, 0, 8, 2, 3, 0), new Step(1, 2, 1, 1, 0, 0), new Step(1, 2, 1, 1, 0, 1),
                new Step(65, 1, 4, 1, 2, 0), new Step(180, 1, 2, 3, 1, 0), new Step(180, 0, 1, 1, 0, 0)));
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 1; i <= 12; i++) {
            List<Step> steps = new ArrayList<>();
            for (int n = random.nextInt(1, MAX_STEPS + 1); n > 0; n--) {
                steps.add(new Step(random.nextInt(181), random.nextInt(4), GPUS[random.nextInt(GPUS.length)], random.nextInt(1, 9),
                        random.nextInt(4), random.nextInt(51)));
            }
            seeds.put("random-" + i, steps);
        }
        return seeds;
    }

    /** Runs a workload and returns every decision; checks the invariants of each decision on the way. */
    static List<Decision> run(List<Step> steps, boolean checkBackfill) {
        Engine engine = new Engine(CATALOG, Limits.defaults());
        SchedulerState state = SchedulerState.of(List.of(), CLUSTER);
        Instant now = Fixtures.T0;
        List<Decision> decisions = new ArrayList<>();
        int n = 0;
        for (Step s : steps) {
            now = now.plus(Duration.ofMinutes(s.minutes()));
            List<Reservation> live = new ArrayList<>(state.live().values());
            live.sort(Comparator.comparing(Reservation::id));
            Event event = switch (s.kind()) {
                case 0, 1 -> new Event.Submitted(Reservation.queued(new ReservationId("h100-" + String.format("%04x", n++)),
                        new UserId("U" + s.user()), "h100", s.gpus(), Duration.ofHours(s.hours()), RequestOptions.NONE, now));
                case 2 -> live.isEmpty() ? new Event.Tick() : new Event.ServerReady(live.get(s.pick() % live.size()).id(), ACCESS);
                default -> live.isEmpty() ? new Event.Tick() : new Event.CancelRequested(live.get(s.pick() % live.size()).id(), "done");
            };
            Decision d = engine.decide(state, now, event);
            decisions.add(d);
            state = d.state();
            neverOverAllocatedNorSplit(state);
            if (checkBackfill) {
                nothingWaitsThatCouldStartWithoutDelayingAnother(engine, state, now);
            }
        }
        // drain: every server becomes ready, time runs out, and the queue must empty
        for (int i = 0; i < 400 && !state.live().isEmpty(); i++) {
            Optional<Reservation> provisioning = state.inState(ReservationState.PROVISIONING).stream().findFirst();
            Event e = provisioning.<Event>map(r -> new Event.ServerReady(r.id(), ACCESS)).orElse(new Event.Tick());
            if (provisioning.isEmpty()) {
                now = engine.nextWakeup(state).filter(Instant.MAX::isAfter).orElse(now.plusSeconds(60));
            }
            Decision d = engine.decide(state, now, e);
            decisions.add(d);
            state = d.state();
            neverOverAllocatedNorSplit(state);
        }
        assertThat(state.live()).as("every accepted request ends").isEmpty();
        return decisions;
    }

    static void neverOverAllocatedNorSplit(SchedulerState state) {
        Map<NodeName, Integer> used = new HashMap<>();
        for (Reservation r : state.live().values()) {
            if (!r.state().holdsGpus()) {
                continue;
            }
            int nodes = H100.nodesFor(r.gpus());
            assertThat(r.nodes()).as("a request is never split").hasSize(nodes).doesNotHaveDuplicates();
            assertThat(r.nodes().stream().map(n -> CLUSTER.node(n).orElseThrow().placementGroup()).distinct()).hasSize(1);
            r.nodes().forEach(n -> used.merge(n, r.gpusPerNode(), Integer::sum));
        }
        used.forEach((n, g) -> assertThat(g).as("GPUs used on " + n).isLessThanOrEqualTo(CLUSTER.node(n).orElseThrow().capacity()));
    }

    /**
     * A waiting request that fits on free GPUs now may only wait because those GPUs are promised to a request ahead of
     * it (or its owner is at the per-user cap): on every node where it fits, an earlier request's promise overlaps the
     * time it would run.
     */
    static void nothingWaitsThatCouldStartWithoutDelayingAnother(Engine engine, SchedulerState state, Instant now) {
        QueuePlan plan = QueuePlanner.plan(H100, state.cluster(), state.live().values(), state.drained(), engine.limits(),
                QueuePolicy.GPU_DEV_BOT, now);
        Map<NodeName, Integer> free = Placer.free(state.cluster(), state.live().values(), state.drained());
        Map<UserId, Integer> held = new HashMap<>();
        state.live().values().stream().filter(r -> r.state().holdsGpus()).forEach(r -> held.merge(r.owner(), r.gpus(), Integer::sum));
        List<QueuePlan.Entry> ahead = new ArrayList<>();
        for (QueuePlan.Entry e : plan.waiting()) {
            Reservation r = e.reservation();
            if (held.getOrDefault(r.owner(), 0) + r.gpus() <= engine.limits().maxGpusPerUser()) {
                Instant until = now.plus(r.duration()).plus(engine.limits().provisionTimeout());
                int wanted = H100.nodesFor(r.gpus());
                int each = r.gpus() / wanted;
                Map<String, Integer> usable = new HashMap<>();
                for (NodeInfo n : state.cluster().nodesOf("h100")) {
                    boolean promised = ahead.stream().anyMatch(o -> o.promised().contains(n.name()) && o.eta().isBefore(until));
                    boolean fits = wanted == 1 ? free.get(n.name()) >= each : free.get(n.name()) == H100.gpusPerNode() && n.capacity() == each;
                    if (fits && !promised) {
                        usable.merge(wanted == 1 ? "" : n.placementGroup(), 1, Integer::sum);
                    }
                }
                assertThat(usable.values()).as(r.id() + " waits though " + usable + " could hold it now, promised to nobody ahead")
                        .allMatch(count -> count < wanted);
            }
            ahead.add(e);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void neverOverAllocatesNeverSplitsAndEveryRequestEnds(FuzzedDataProvider data) {
        run(workload(data), false);
    }

    @Test
    void aSmallRequestBehindAWaitingGangStartsOnAFreeNode() {
        run(SMALL_BEHIND_GANG, true);
    }

    @FuzzTest(maxDuration = "2m")
    void noRequestWaitsWhileItCouldStartWithoutDelayingAnother(FuzzedDataProvider data) {
        run(workload(data), true);
    }

    @FuzzTest(maxDuration = "2m")
    void theSameInputsGiveTheSameDecisions(FuzzedDataProvider data) {
        List<Step> steps = workload(data);
        assertThat(run(steps, false)).isEqualTo(run(steps, false));
    }

    @FuzzTest(maxDuration = "2m")
    void everySubmittedRequestStartsOrEndsWithAReason(FuzzedDataProvider data) {
        Set<ReservationId> submitted = new HashSet<>();
        Set<ReservationId> accounted = new HashSet<>();
        for (Decision d : run(workload(data), false)) {
            d.changed().stream().filter(r -> r.state() == ReservationState.QUEUED).forEach(r -> submitted.add(r.id()));
            d.effects().forEach(e -> {
                switch (e) {
                    case Effect.Provision p -> accounted.add(p.reservation().id());
                    case Effect.Notify(Notice.Ended ended) when !ended.reservation().detail().isBlank() -> accounted.add(ended.reservation().id());
                    default -> {
                    }
                }
            });
        }
        assertThat(accounted).containsAll(submitted);
    }

    /** Every fuzz test above replays {@link #SEEDS}; the files read back as these workloads. */
    @Test
    void theSeedFilesAreTheNamedWorkloads() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        SEEDS.forEach((name, steps) -> files.put(name, seed(steps)));
        for (String method : List.of("neverOverAllocatesNeverSplitsAndEveryRequestEnds", "noRequestWaitsWhileItCouldStartWithoutDelayingAnother",
                "theSameInputsGiveTheSameDecisions", "everySubmittedRequestStartsOrEndsWithAReason")) {
            Seeds.check(EngineFuzzTest.class, method, files);
        }
    }
}
