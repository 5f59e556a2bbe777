package dev.gpudev.adapters.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;

import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.service.ReservationService;
import dev.gpudev.scheduler.testing.FakeCluster;
import dev.gpudev.scheduler.testing.FakeIdentity;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;
import dev.gpudev.scheduler.testing.RecordingNotifier;

/**
 * Two replicas that both believe they lead (a slow start outlived the lease, or the old and new pod of a rollout), each
 * a {@link ReservationService} over its own view of the same one-node cluster and the same store. Replica A started
 * first, replica B took over after it. Whatever the order of their requests, the node is never booked beyond its
 * capacity, and A, once a write of its term is refused, stops: it provisions nothing more and answers nothing as done.
 */
class TwoLeadersTest {
    private static final NodeName NODE = new NodeName("h100-1");
    private static final int CAPACITY = 8;
    private static final GpuCatalog CATALOG = GpuCatalog.defaults();

    static final List<Supplier<ReservationStore>> STORE_KINDS = List.of(InMemoryReservationStore::new,
            () -> Dynalite.freshStore(Clock.systemUTC()));

    static final List<Arguments> CASES = cases();

    private static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (var store : List.of(Named.of("in-memory", STORE_KINDS.get(0)), Named.of("dynalite", STORE_KINDS.get(1)))) {
            cases.add(Arguments.of(store, Named.of("B takes over, then A and B reserve", "B A b"), true));
            cases.add(Arguments.of(store, Named.of("B takes over and reserves, then A reserves", "B b A"), true));
            cases.add(Arguments.of(store, Named.of("A reserves, then B takes over and reserves", "A B b"), false));
        }
        return cases;
    }

    private final RecordingNotifier notifier = new RecordingNotifier();
    private final MutableClock clock = new MutableClock(Fixtures.T0);

    private ReservationService replica(ReservationStore store, FakeCluster cluster, long seed) {
        return new ReservationService(new Engine(CATALOG, Limits.defaults()), new RequestValidator(CATALOG, Limits.defaults()),
                store, cluster, new FakeIdentity(), notifier, clock, new Random(seed));
    }

    private static Command.Reserve eightGpus(String name) {
        return new Command.Reserve("h100", CAPACITY, Duration.ofHours(1), false, List.of(), name, null);
    }

    /**
     * @param script {@code A}: A starts and reserves (A always started first), {@code B}: B starts, {@code b}: B reserves
     */
    @ParameterizedTest(name = "{0}: {1}")
    @FieldSource("CASES")
    void theNodeIsBookedOnceAndTheFencedReplicaStops(Supplier<ReservationStore> stores, String script, boolean aFenced) {
        ReservationStore store = stores.get();
        FakeCluster aCluster = new FakeCluster(Fixtures.nodes("h100", 1, CAPACITY));
        FakeCluster bCluster = new FakeCluster(Fixtures.nodes("h100", 1, CAPACITY));
        ReservationService a = replica(store, aCluster, 1);
        ReservationService b = replica(store, bCluster, 2);
        AtomicInteger aStopped = new AtomicInteger();
        a.onFenced(aStopped::incrementAndGet);
        a.start();
        Map<String, ReserveOutcome> answers = new HashMap<>();

        for (String step : script.split(" ")) {
            switch (step) {
                case "A" -> answers.put("A", a.reserve(Fixtures.ANA, eightGpus("a"), "trigger-a"));
                case "B" -> b.start();
                case "b" -> answers.put("b", b.reserve(Fixtures.BO, eightGpus("b"), "trigger-b"));
                default -> throw new IllegalArgumentException(step);
            }
        }
        a.tick();
        b.reload();

        assertThat(heldOnTheNode(store)).isEqualTo(CAPACITY);
        List<Reservation> holding = store.live().stream().filter(r -> r.state().holdsGpus()).toList();
        assertThat(holding).hasSize(1);
        assertThat(Stream.concat(aCluster.provisioned.stream(), bCluster.provisioned.stream()).map(spec -> spec.reservation().id()))
                .containsOnly(holding.getFirst().id());
        assertThat(aStopped).hasValue(aFenced ? 1 : 0);
        if (aFenced) {
            assertThat(aCluster.provisioned).isEmpty();
            // what A stored before it was fenced waits in B's queue: accepted, not lost
            assertThat(answers.get("A")).isInstanceOf(ReserveOutcome.Accepted.class);
            assertThat(b.state().queue("h100")).extracting(Reservation::owner).containsExactly(Fixtures.ANA);
        }
    }

    /** Both replicas get requests at once, from many threads: still at most the node's capacity is ever booked. */
    @ParameterizedTest(name = "{0}")
    @FieldSource("STORES")
    void concurrentRequestsToBothReplicasNeverBookMoreThanTheNode(Supplier<ReservationStore> stores) throws Exception {
        ReservationStore store = stores.get();
        ReservationService a = replica(store, new FakeCluster(Fixtures.nodes("h100", 1, CAPACITY)), 1);
        ReservationService b = replica(store, new FakeCluster(Fixtures.nodes("h100", 1, CAPACITY)), 2);
        AtomicInteger aStopped = new AtomicInteger();
        a.onFenced(aStopped::incrementAndGet);
        a.start();
        b.start();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ReserveOutcome>> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 16; i++) {
                ReservationService replica = i % 2 == 0 ? a : b;
                UserId user = new UserId("U" + i);
                int n = i;
                outcomes.add(pool.submit(() -> {
                    go.await();
                    return replica.reserve(user, new Command.Reserve("h100", 4, Duration.ofHours(1), false, List.of(), "r" + n, null),
                            "trigger-" + n);
                }));
            }
            go.countDown();
        }
        for (Future<ReserveOutcome> f : outcomes) {
            f.get();
        }

        assertThat(heldOnTheNode(store)).isLessThanOrEqualTo(CAPACITY);
        assertThat(aStopped).hasValue(1);
    }

    static final List<Named<Supplier<ReservationStore>>> STORES = List.of(Named.of("in-memory", STORE_KINDS.get(0)),
            Named.of("dynalite", STORE_KINDS.get(1)));

    private static int heldOnTheNode(ReservationStore store) {
        return store.live().stream().filter(r -> r.state().holdsGpus() && r.nodes().contains(NODE)).mapToInt(Reservation::gpus).sum();
    }
}
