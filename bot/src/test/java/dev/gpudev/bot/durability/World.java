package dev.gpudev.bot.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.gpudev.adapters.kubernetes.KubernetesCluster;
import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.service.ReservationService;
import dev.gpudev.scheduler.testing.CrashWorld;
import dev.gpudev.scheduler.testing.CrashingStore;

/**
 * What survives a crash of the bot (the DynamoDB tables, the API server's objects, the messages users got, the clock)
 * and the bot itself: a {@link ReservationService} over a {@link KubernetesCluster}, which {@link #restart} closes and
 * replaces by new ones that know nothing but what they read back.
 */
final class World extends CrashWorld implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final KubernetesSettings SETTINGS = KubernetesSettings.builder().namespace(ApiServer.NS)
            .probeInterval(Duration.ofMillis(20)).build();

    final ApiServer api;
    KubernetesCluster cluster;
    Mailbox mailbox;

    World(ReservationStore durable, ApiServer api, long crashAt) {
        super(durable, crashAt);
        this.api = api;
        start();
    }

    @Override
    public void restart() {
        cluster.close();
        super.restart();
    }

    /** As the bot's Main does: informers synced, the service rebuilt from the store, then the cluster reconciled with it. */
    @Override
    protected void boot() {
        mailbox = new Mailbox();
        cluster = new KubernetesCluster(api.client(), SETTINGS, CATALOG, (host, port) -> true);
        cluster.listen(mailbox);
        cluster.start();
        await("informers synced").atMost(WAIT).until(cluster::synced);
        CrashingStore store = new CrashingStore(durable, points);
        bot = newBot(store, new CrashingCluster(cluster, points, mailbox));
        bot.start();
        List<Reservation> live = store.live();
        points.around("reconcile", () -> cluster.reconcile(live));
    }

    /**
     * The servers start: pods run, SSH answers; once the cluster has reported on every server the store has as
     * starting, the bot hears the reports, and none of those servers may still be starting in the store.
     */
    @Override
    public void settle() {
        api.runServers();
        Set<ReservationId> starting = durable.live().stream().filter(r -> r.state() == ReservationState.PROVISIONING)
                .map(Reservation::id).collect(Collectors.toSet());
        await("the cluster reports on " + starting + " (queued: " + mailbox.pending() + ")").atMost(WAIT)
                .until(() -> mailbox.reported().containsAll(starting));
        mailbox.deliver();
        assertThat(durable.live()).as("stuck in PROVISIONING after the servers were reported ready")
                .noneMatch(r -> r.state() == ReservationState.PROVISIONING && starting.contains(r.id()));
    }

    @Override
    public void close() {
        cluster.close();
    }
}
