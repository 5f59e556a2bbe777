package dev.gpudev.scheduler.service;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.BO;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.port.AccessDecision;
import dev.gpudev.scheduler.port.Cluster;
import dev.gpudev.scheduler.port.ClusterListener;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.port.ProvisionException;
import dev.gpudev.scheduler.port.ServerSpec;
import dev.gpudev.scheduler.testing.FakeCluster;
import dev.gpudev.scheduler.testing.FakeIdentity;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;
import dev.gpudev.scheduler.testing.RecordingNotifier;

/** Transient provisioning failures are retried with backoff until the provision timeout; permanent ones fail at once. */
class ProvisionRetryTest {
    private static final String API_DOWN = "the Kubernetes API is unavailable (HTTP 503)";

    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final InMemoryReservationStore store = new InMemoryReservationStore();
    private final FlakyCluster cluster = new FlakyCluster(new FakeCluster(Fixtures.nodes("h100", 2, 8)));
    private final FakeIdentity identity = new FakeIdentity();
    private final RecordingNotifier notifier = new RecordingNotifier();
    private ReservationService service;

    /** The cluster port of a FakeCluster whose provision throws the queued failures first. */
    static final class FlakyCluster implements Cluster {
        final FakeCluster fake;
        final Queue<RuntimeException> failures = new ConcurrentLinkedQueue<>();
        int attempts;

        FlakyCluster(FakeCluster fake) {
            this.fake = fake;
        }

        @Override
        public ClusterSnapshot snapshot() {
            return fake.snapshot();
        }

        @Override
        public void provision(ServerSpec spec) {
            attempts++;
            RuntimeException next = failures.poll();
            if (next != null) {
                throw next;
            }
            fake.provision(spec);
        }

        @Override
        public void release(Reservation reservation) {
            fake.release(reservation);
        }

        @Override
        public Set<ReservationId> servers() {
            RuntimeException next = failures.poll();
            if (next != null) {
                throw next;
            }
            return Set.of();
        }

        @Override
        public void listen(ClusterListener listener) {
            fake.listen(listener);
        }
    }

    @BeforeEach
    void start() {
        service = Fixtures.service(store, cluster, identity, notifier, clock);
        service.start();
    }

    private Reservation reserve(String text) {
        return reserve(ANA, text);
    }

    private Reservation reserve(UserId who, String text) {
        return Fixtures.accepted(service, who, text);
    }

    private Reservation stored(Reservation r) {
        return store.find(r.id()).orElseThrow();
    }

    /** Ticks as the Ticker would: at each wake-up the service asks for before {@code until}, then at {@code until}. */
    private void runUntil(Duration until) {
        Instant end = Fixtures.T0.plus(until);
        for (int i = 0; i < 10_000; i++) {
            Optional<Instant> next = service.nextWakeup();
            if (next.isEmpty() || !next.get().isBefore(end)) {
                break;
            }
            if (next.get().isAfter(clock.instant())) {
                clock.set(next.get());
            }
            service.tick();
        }
        clock.set(end);
        service.tick();
    }

    @Test
    void aTransientFailureAtPlacementIsRetriedAndTheServerBecomesActive() {
        cluster.failures.add(ProvisionException.retryable(API_DOWN, null));
        cluster.failures.add(ProvisionException.retryable(API_DOWN, null));

        Reservation r = reserve("reserve h100 4 2h");

        assertThat(stored(r).state()).isEqualTo(ReservationState.PROVISIONING);
        assertThat(cluster.fake.provisioned).isEmpty();
        assertThat(notifier.of(Notice.Starting.class)).anySatisfy(n -> assertThat(n.reservation().detail()).contains(API_DOWN, "retrying"));
        assertThat(service.nextWakeup()).hasValueSatisfying(at -> assertThat(at)
                .isBetween(Fixtures.T0.plus(ProvisionRetries.FIRST.dividedBy(2)), Fixtures.T0.plus(ProvisionRetries.FIRST)));

        runUntil(Duration.ofMinutes(1));

        assertThat(cluster.attempts).isEqualTo(3);
        assertThat(cluster.fake.provisioned).singleElement().satisfies(s -> assertThat(s.reservation().id()).isEqualTo(r.id()));
        assertThat(stored(r).detail()).doesNotContain("retrying");
        cluster.fake.ready(r.id());
        assertThat(stored(r).state()).isEqualTo(ReservationState.ACTIVE);
        assertThat(notifier.of(Notice.Ended.class)).isEmpty();
    }

    /**
     * Effects run on a pool: a retry handed to it and not yet run is not handed over again by the next ticks (before,
     * every tick until it ran queued one more provisioning of the same server).
     */
    @Test
    void aRetryWaitingForTheEffectPoolIsNotQueuedAgainByLaterTicks() {
        Queue<Runnable> pool = new ConcurrentLinkedQueue<>();
        GpuCatalog catalog = GpuCatalog.defaults();
        service = new ReservationService(new Engine(catalog, Limits.defaults()), new RequestValidator(catalog, Limits.defaults()),
                store, cluster, identity, notifier, clock, new Random(7), pool::add);
        service.start();
        cluster.failures.add(ProvisionException.retryable(API_DOWN, null));
        Reservation r = reserve("reserve h100 4 2h");
        runAll(pool);
        assertThat(cluster.attempts).isEqualTo(1);

        clock.advance(ProvisionRetries.FIRST);
        service.tick();
        service.tick();
        clock.advance(Duration.ofSeconds(1));
        service.tick();
        runAll(pool);

        assertThat(cluster.attempts).as("one retry, however many ticks passed while it waited for the pool").isEqualTo(2);
        assertThat(cluster.fake.provisioned).singleElement().satisfies(s -> assertThat(s.reservation().id()).isEqualTo(r.id()));
    }

    private static void runAll(Queue<Runnable> pool) {
        for (Runnable next; (next = pool.poll()) != null; ) {
            next.run();
        }
    }

    @Test
    void aPermanentFailureFailsAtOnceWithTheClustersReason() {
        String refused = "Kubernetes refused the server: pods \"gpu-dev-x-0\" is forbidden: violates PodSecurity \"baseline:latest\"";
        cluster.failures.add(ProvisionException.permanent(refused, null));

        Reservation r = reserve("reserve h100 4 2h");

        assertThat(stored(r).endReason()).isEqualTo(EndReason.FAILED);
        assertThat(stored(r).detail()).isEqualTo(refused);
        assertThat(cluster.attempts).isEqualTo(1);
        runUntil(Duration.ofMinutes(20));
        assertThat(cluster.attempts).isEqualTo(1);
    }

    @Test
    void aTransientFailureThatLastsFailsAtTheProvisionTimeoutWithTheLastReason() {
        for (int i = 0; i < 1_000; i++) {
            cluster.failures.add(ProvisionException.retryable(i < 5 ? "GitHub did not answer" : API_DOWN, null));
        }

        Reservation r = reserve("reserve h100 4 2h");
        runUntil(Duration.ofMinutes(14));
        assertThat(stored(r).state()).isEqualTo(ReservationState.PROVISIONING);
        int attempts = cluster.attempts;
        // backoff: doubling from 2 s, capped at a minute, so a few dozen attempts in 14 minutes, not hundreds
        assertThat(attempts).isBetween(10, 40);

        runUntil(Duration.ofMinutes(16));

        Reservation failed = stored(r);
        assertThat(failed.endReason()).isEqualTo(EndReason.FAILED);
        assertThat(failed.detail()).isEqualTo("the server could not be started within 15m: " + API_DOWN);
        assertThat(failed.updatedAt()).isEqualTo(Fixtures.T0.plus(Limits.defaults().provisionTimeout()));
        assertThat(cluster.fake.released).extracting(Reservation::id).containsExactly(r.id());
        int after = cluster.attempts;
        runUntil(Duration.ofMinutes(30));
        assertThat(cluster.attempts).isEqualTo(after);
    }

    /** Fills both nodes with Bo's servers and queues Ana's request behind them; returns Bo's first reservation. */
    private Reservation anaWaitsBehindBo(String anasRequest) {
        Reservation bo = reserve(BO, "reserve h100 8 2h");
        reserve(BO, "reserve h100 8 2h");
        Reservation ana = reserve(ANA, anasRequest);
        assertThat(stored(ana).state()).isEqualTo(ReservationState.QUEUED);
        return bo;
    }

    @Test
    void gitHubUnavailableWhenAQueuedRequestIsPlacedIsRetried() {
        Reservation bo = anaWaitsBehindBo("reserve h100 4 2h");
        Reservation ana = store.live().stream().filter(r -> r.owner().equals(ANA)).findFirst().orElseThrow();
        clock.advance(Duration.ofHours(2));
        identity.answers.put(ANA, new AccessDecision.Unavailable("GitHub is unreachable — try again in a minute"));

        service.cancel(BO, bo.id().value(), false);

        assertThat(stored(ana).state()).isEqualTo(ReservationState.PROVISIONING);
        assertThat(stored(ana).detail()).contains("GitHub", "retrying");
        identity.answers.remove(ANA);
        runUntil(Duration.ofHours(2).plusMinutes(2));
        assertThat(cluster.fake.provisioned).filteredOn(s -> s.reservation().id().equals(ana.id())).singleElement()
                .satisfies(s -> assertThat(s.authorizedKeys()).containsExactly(Fixtures.ED25519));
        assertThat(stored(ana).state()).isEqualTo(ReservationState.PROVISIONING);
    }

    @Test
    void aUserGitHubDeniesWhenTheirRequestIsPlacedFailsAtOnceWithTheReason() {
        Reservation bo = anaWaitsBehindBo("reserve h100 4 2h");
        Reservation ana = store.live().stream().filter(r -> r.owner().equals(ANA)).findFirst().orElseThrow();
        identity.answers.put(ANA, new AccessDecision.Denied("GitHub account ana has no SSH keys"));

        service.cancel(BO, bo.id().value(), false);

        assertThat(stored(ana).endReason()).isEqualTo(EndReason.FAILED);
        assertThat(stored(ana).detail()).isEqualTo("GitHub account ana has no SSH keys");
    }

    @Test
    void aReconcileThatFindsNoServerWhileARetryIsPendingDoesNotFailTheReservation() {
        cluster.failures.add(ProvisionException.retryable(API_DOWN, null));
        Reservation r = reserve("reserve h100 4 2h");

        cluster.fake.listener().serverVanished(r.id(), "its server is gone (node lost, evicted or deleted)");

        assertThat(stored(r).state()).isEqualTo(ReservationState.PROVISIONING);
        runUntil(Duration.ofMinutes(1));
        assertThat(cluster.fake.provisioned).hasSize(1);
    }

    @Test
    void aRestartedServiceProvisionsAgainWhatWasBeingRetried() {
        cluster.failures.add(ProvisionException.retryable(API_DOWN, null));
        Reservation r = reserve("reserve h100 4 2h");
        clock.advance(Duration.ofMinutes(5));

        ReservationService again = new ReservationService(service.engine(), service.validator(), store, cluster, identity, notifier, clock,
                new Random(8));
        again.start();

        assertThat(cluster.fake.provisioned).extracting(s -> s.reservation().id()).containsExactly(r.id());
        assertThat(stored(r).state()).isEqualTo(ReservationState.PROVISIONING);
    }

    @Test
    void theBackoffDoublesWithJitterAndIsCapped() {
        Random random = new Random(1);
        for (int attempt = 1; attempt <= 12; attempt++) {
            Duration full = ProvisionRetries.FIRST.multipliedBy(1L << Math.min(attempt - 1, 10));
            Duration cap = full.compareTo(ProvisionRetries.MAX) > 0 ? ProvisionRetries.MAX : full;
            assertThat(ProvisionRetries.delay(attempt, random)).isBetween(cap.dividedBy(2), cap);
        }
    }

    @Test
    void aNewLeaderStartsAndRetriesWhileTheClusterApiIsDown() {
        cluster.failures.add(ProvisionException.retryable(API_DOWN, null));
        Reservation r = reserve("reserve h100 4 2h");
        // failover: the new leader cannot list the servers, nor provision at first
        cluster.failures.add(new IllegalStateException("Failure executing: GET at: https://10.100.0.1/api/v1/namespaces/gpu-dev/pods"));
        cluster.failures.add(ProvisionException.retryable(API_DOWN, null));
        ReservationService again = new ReservationService(service.engine(), service.validator(), store, cluster, identity, notifier, clock,
                new Random(8));

        again.start();
        service = again;
        runUntil(Duration.ofMinutes(1));

        assertThat(cluster.fake.provisioned).extracting(s -> s.reservation().id()).containsExactly(r.id());
        assertThat(stored(r).state()).isEqualTo(ReservationState.PROVISIONING);
    }
}
