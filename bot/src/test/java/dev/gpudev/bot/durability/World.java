package dev.gpudev.bot.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import dev.gpudev.adapters.kubernetes.KubernetesCluster;
import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.service.ReservationService;
import dev.gpudev.scheduler.testing.Crash;
import dev.gpudev.scheduler.testing.CrashPoints;
import dev.gpudev.scheduler.testing.CrashScripts;
import dev.gpudev.scheduler.testing.CrashWorld;
import dev.gpudev.scheduler.testing.CrashingStore;
import dev.gpudev.scheduler.testing.Deliveries;
import dev.gpudev.scheduler.testing.FakeIdentity;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;

/**
 * What survives a crash of the bot (the DynamoDB tables, the API server's objects, the messages users got, the clock)
 * and the bot itself: a {@link ReservationService} over a {@link KubernetesCluster}, which {@link #restart} closes and
 * replaces by new ones that know nothing but what they read back.
 */
final class World implements CrashWorld, AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final GpuCatalog CATALOG = GpuCatalog.defaults();
    private static final KubernetesSettings SETTINGS = KubernetesSettings.builder().namespace(ApiServer.NS)
            .probeInterval(Duration.ofMillis(20)).build();

    final ReservationStore durable;
    final ApiServer api;
    final Deliveries deliveries = new Deliveries();
    final MutableClock clock = new MutableClock(Fixtures.T0);
    final CrashPoints points;
    final List<Object> answers = new ArrayList<>();
    ReservationService bot;
    KubernetesCluster cluster;
    Mailbox mailbox;
    int restarts;
    String crash = "none";

    World(ReservationStore durable, ApiServer api, long crashAt) {
        this.durable = durable;
        this.api = api;
        this.points = new CrashPoints(crashAt);
        try {
            boot();
        } catch (Crash c) {
            crash = c.getMessage() + " at the first start";
            restart();
        }
    }

    void restart() {
        restarts++;
        cluster.close();
        boot();
    }

    /** As the bot's Main does: informers synced, the service rebuilt from the store, then the cluster reconciled with it. */
    private void boot() {
        mailbox = new Mailbox();
        cluster = new KubernetesCluster(api.client(), SETTINGS, CATALOG, (host, port) -> true);
        cluster.listen(mailbox);
        cluster.start();
        await("informers synced").atMost(WAIT).until(cluster::synced);
        CrashingStore store = new CrashingStore(durable, points);
        bot = new ReservationService(new Engine(CATALOG, Limits.defaults()), new RequestValidator(CATALOG, Limits.defaults()),
                store, new CrashingCluster(cluster, points, mailbox), new FakeIdentity(),
                deliveries.notifier(points, () -> bot), clock, new Random(restarts));
        bot.start();
        List<Reservation> live = store.live();
        points.around("reconcile", () -> cluster.reconcile(live));
    }

    /** Runs one step; if the bot dies in it, restarts the bot and delivers the step again, as Slack and the timer would. */
    void perform(CrashScripts.Step step) {
        try {
            step.action().accept(this);
        } catch (Crash c) {
            crash = c.getMessage() + " in step '" + step + "'";
            restart();
            step.action().accept(this);
        }
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

    @Override
    public ReservationService bot() {
        return bot;
    }

    @Override
    public ReservationStore durable() {
        return durable;
    }

    @Override
    public MutableClock clock() {
        return clock;
    }

    @Override
    public List<Object> answers() {
        return answers;
    }

    @Override
    public Deliveries deliveries() {
        return deliveries;
    }
}
