package dev.gpudev.adapters.kubernetes.leader;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {
    static KubernetesClient client;
    /**
     * A leader gives up when it has not renewed for 2/3 of the lease, and a follower takes a lease not renewed for a whole
     * one: a test that needs the leader to keep its lease uses one that a stall of the test JVM (GC, a busy 2-core CI
     * machine: a second or two) does not outlast. A stopping leader releases the lease, so a long one costs no time there.
     */
    static final Duration KEPT = Duration.ofSeconds(5);
    final List<String> log = new CopyOnWriteArrayList<>();

    LeaderElection candidate(String name) {
        return new LeaderElection(client, "gpu-dev", "gpu-dev-bot", name, KEPT,
                () -> log.add(name + " leads"), () -> log.add(name + " stopped"));
    }

    @Test
    void twoReplicasHandLeadershipOverWhenTheLeaderStops() {
        try (LeaderElection a = candidate("bot-a"); LeaderElection b = candidate("bot-b")) {
            a.start();
            await().atMost(Duration.ofSeconds(10)).until(a::leading);
            b.start();
            // b keeps trying while a renews; it must not lead alongside a
            await().atMost(Duration.ofSeconds(10)).until(() -> client.leases().inNamespace("gpu-dev").withName("gpu-dev-bot")
                    .get().getSpec().getRenewTime().isAfter(client.leases().inNamespace("gpu-dev").withName("gpu-dev-bot")
                            .get().getSpec().getAcquireTime()));
            assertThat(b.leading()).isFalse();

            a.stop();
            // fabric8 releases the lease before it calls a's stop callback, and b's start runs on its own thread, so
            // "bot-a stopped" and "bot-b leads" may be logged in either order (the store's term fences the overlap)
            await().atMost(Duration.ofSeconds(10)).until(() -> b.leading() && !a.leading() && log.size() == 3);
            assertThat(log).first().isEqualTo("bot-a leads");
            assertThat(log).containsExactlyInAnyOrder("bot-a leads", "bot-a stopped", "bot-b leads");
            assertThat(client.leases().inNamespace("gpu-dev").withName("gpu-dev-bot").get().getSpec().getHolderIdentity()).isEqualTo("bot-b");
        }
    }

    @Test
    void aFollowerTakesOverWhenADeadLeadersLeaseRunsOut() {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        client.leases().inNamespace("gpu-dev").resource(new LeaseBuilder().withNewMetadata().withName("dead-bot").endMetadata()
                .withNewSpec().withHolderIdentity("bot-crashed").withLeaseDurationSeconds(2).withAcquireTime(now).withRenewTime(now)
                .withLeaseTransitions(0).endSpec().build()).create();
        try (LeaderElection b = new LeaderElection(client, "gpu-dev", "dead-bot", "bot-b", Duration.ofSeconds(2),
                () -> log.add("bot-b leads"), () -> log.add("bot-b stopped"))) {
            b.start();
            await().atMost(Duration.ofSeconds(10)).until(b::leading);
            assertThat(client.leases().inNamespace("gpu-dev").withName("dead-bot").get().getSpec().getHolderIdentity()).isEqualTo("bot-b");
        }
    }

    /**
     * A start (store reads, GitHub checks, pod creates, reconcile) that outlasts the lease: the lease is renewed
     * meanwhile, so a second replica does not lead at the same time.
     */
    @Test
    void aStartLongerThanTheLeaseKeepsItRenewedAndNoSecondReplicaLeads() {
        CountDownLatch startDone = new CountDownLatch(1);
        Duration lease = Duration.ofSeconds(4);
        LeaderElection a = new LeaderElection(client, "gpu-dev", "slow", "bot-a", lease, () -> {
            log.add("bot-a leads");
            awaitQuietly(startDone);
            log.add("bot-a started");
        }, () -> log.add("bot-a stopped"));
        LeaderElection b = new LeaderElection(client, "gpu-dev", "slow", "bot-b", lease,
                () -> log.add("bot-b leads"), () -> log.add("bot-b stopped"));
        try {
            a.start();
            await().atMost(Duration.ofSeconds(10)).until(a::leading);
            ZonedDateTime acquired = lease("slow").getSpec().getAcquireTime();
            b.start();

            // one and a half lease durations into a start that has not finished (un-renewed, b would have taken the
            // lease after one), the lease is still a's and fresh
            await().atMost(Duration.ofSeconds(20)).until(() -> lease("slow").getSpec().getRenewTime().isAfter(acquired.plus(lease.multipliedBy(3).dividedBy(2))));
            assertThat(startDone.getCount()).isOne();
            assertThat(b.leading()).isFalse();
            assertThat(lease("slow").getSpec().getHolderIdentity()).isEqualTo("bot-a");

            startDone.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> log.contains("bot-a started"));
            assertThat(log).containsExactly("bot-a leads", "bot-a started");
        } finally {
            // before closing: a start blocked inside fabric8 (as before the fix) holds the elector's lock
            startDone.countDown();
            b.close();
            a.close();
        }
    }

    /** Losing the lease while the start still runs interrupts the start and stops leading (the bot then halts). */
    @Test
    void losingTheLeaseDuringTheStartInterruptsItAndStopsLeading() {
        CountDownLatch release = new CountDownLatch(1);
        LeaderElection a = new LeaderElection(client, "gpu-dev", "taken", "bot-a", Duration.ofSeconds(3), () -> {
            log.add("bot-a leads");
            if (!awaitQuietly(release)) {
                log.add("bot-a start interrupted");
            }
        }, () -> log.add("bot-a stopped"));
        try {
            a.start();
            await().atMost(Duration.ofSeconds(10)).until(a::leading);

            // a merge patch, not an edit: an edit carries the resourceVersion it read and fails (409) when a's renewal
            // lands between its read and its write
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            client.leases().inNamespace("gpu-dev").withName("taken").patch(PatchContext.of(PatchType.JSON_MERGE), new LeaseBuilder()
                    .withNewMetadata().withName("taken").endMetadata().withNewSpec()
                    .withHolderIdentity("bot-z").withAcquireTime(now).withRenewTime(now).withLeaseDurationSeconds(60).endSpec().build());

            await().atMost(Duration.ofSeconds(10)).until(() -> log.contains("bot-a stopped") && log.contains("bot-a start interrupted"));
            assertThat(a.leading()).isFalse();
        } finally {
            release.countDown();
            a.close();
        }
    }

    private static Lease lease(String name) {
        return client.leases().inNamespace("gpu-dev").withName(name).get();
    }

    /** @return false if interrupted */
    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void refusesALeaseTooShortToRenew() {
        assertThatThrownBy(() -> new LeaderElection(client, "gpu-dev", "l", "me", Duration.ofMillis(500), () -> { }, () -> { }))
                .hasMessageContaining("lease-duration");
    }
}
