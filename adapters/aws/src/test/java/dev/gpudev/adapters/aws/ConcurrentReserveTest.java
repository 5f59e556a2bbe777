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
import java.util.function.Supplier;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;

import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.service.ReservationService;
import dev.gpudev.scheduler.testing.FakeIdentity;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;
import dev.gpudev.scheduler.testing.RecordingNotifier;

/**
 * 200 reserve requests at once for a pool of 16 GPUs (two 8-GPU nodes): some too big, some malformed, ten from one
 * user who may hold 16. Never more than 16 GPUs granted; every request ends active, queued with a position, or
 * refused with a reason; the store holds exactly the accepted ones.
 */
class ConcurrentReserveTest {
    private static final int REQUESTS = 200;
    private static final int THREADS = 32;
    private static final UserId SAME = new UserId("U0SAME");
    private static final int[] COUNTS = {1, 2, 4, 8, 16, 3, 32};

    static final List<Arguments> STORES = List.of(
            Arguments.of(Named.of("in-memory", (Supplier<ReservationStore>) InMemoryReservationStore::new)),
            Arguments.of(Named.of("dynalite", (Supplier<ReservationStore>) () -> Dynalite.freshStore(Clock.systemUTC()))));

    @ParameterizedTest(name = "{0}")
    @FieldSource("STORES")
    void neverMoreThanThePoolIsGrantedAndEveryRequestGetsAnAnswer(Supplier<ReservationStore> stores) throws Exception {
        ReservationStore store = stores.get();
        TestCluster cluster = new TestCluster(Fixtures.nodes("h100", 2, 8));
        RecordingNotifier notifier = new RecordingNotifier();
        GpuCatalog catalog = GpuCatalog.defaults();
        ReservationService bot = new ReservationService(new Engine(catalog, Limits.defaults()),
                new RequestValidator(catalog, Limits.defaults()), store, cluster, new FakeIdentity(), notifier,
                new MutableClock(Fixtures.T0), new Random(1));
        bot.start();

        Random random = new Random(42);
        List<UserId> users = new ArrayList<>();
        List<Command.Reserve> commands = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            boolean same = i % 20 == 7;
            users.add(same ? SAME : new UserId("U" + i));
            int gpus = same ? 4 : COUNTS[random.nextInt(COUNTS.length)];
            commands.add(new Command.Reserve("h100", gpus, Duration.ofHours(1), false, List.of(), "req-" + i, null));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ReserveOutcome>> futures = new ArrayList<>();
        long started;
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            for (int i = 0; i < REQUESTS; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return bot.reserve(users.get(n), commands.get(n), "trigger-" + n);
                }));
            }
            started = System.nanoTime();
            go.countDown();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        List<ReserveOutcome> outcomes = new ArrayList<>();
        for (Future<ReserveOutcome> f : futures) {
            outcomes.add(f.get());
        }
        cluster.settle();

        int granted = 0;
        int grantedGpus = 0;
        int queued = 0;
        int refused = 0;
        int sameUserGpus = 0;
        for (int i = 0; i < REQUESTS; i++) {
            ReserveOutcome o = outcomes.get(i);
            switch (o) {
                case ReserveOutcome.Accepted a when a.first() instanceof Notice.Starting -> {
                    granted++;
                    grantedGpus += a.reservation().gpus();
                }
                case ReserveOutcome.Accepted a -> {
                    assertThat(a.first()).isInstanceOfSatisfying(Notice.Queued.class, q -> assertThat(q.position()).isPositive());
                    queued++;
                }
                case ReserveOutcome.Refused r -> {
                    assertThat(r.reason()).isNotBlank();
                    refused++;
                }
                case ReserveOutcome.Duplicate d -> throw new AssertionError("request " + i + " has its own trigger, yet was a duplicate");
            }
            if (o instanceof ReserveOutcome.Accepted a && users.get(i).equals(SAME)) {
                sameUserGpus += a.reservation().gpus();
            }
        }
        System.out.printf("%nconcurrent reserve, store | requests | threads | granted | GPUs granted | queued | refused | ms%n");
        System.out.printf("%s | %d | %d | %d | %d | %d | %d | %d%n", store.getClass().getSimpleName(), REQUESTS, THREADS,
                granted, grantedGpus, queued, refused, millis);

        assertThat(grantedGpus).isBetween(1, 16);
        assertThat(sameUserGpus).as("GPUs one user got at once").isLessThanOrEqualTo(16);
        assertThat(refused).as("too big, malformed or over the user's quota").isPositive();

        List<Reservation> stored = store.live();
        assertThat(stored).as("exactly the accepted requests are stored").hasSize(granted + queued);
        assertThat(stored).as("every one active or queued").allMatch(r -> r.state() == ReservationState.ACTIVE
                || r.state() == ReservationState.QUEUED);
        Map<NodeName, Integer> held = new HashMap<>();
        stored.stream().filter(r -> r.state() == ReservationState.ACTIVE)
                .forEach(r -> r.nodes().forEach(node -> held.merge(node, r.gpusPerNode(), Integer::sum)));
        assertThat(held.values()).as("GPUs held per node").allMatch(g -> g <= 8);
        assertThat(held.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(grantedGpus);
        assertThat(cluster.used().values()).allMatch(g -> g <= 8);
    }
}
