package dev.gpudev.adapters.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.model.GpuCatalog;
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
 * What survives a crash of the bot (the store, the cluster, the messages users got, the clock) and the bot itself,
 * which {@link #restart} replaces by a new one that knows nothing but what it reads back.
 */
final class World implements CrashWorld {
    private static final GpuCatalog CATALOG = GpuCatalog.defaults();

    final ReservationStore durable;
    final TestCluster cluster = new TestCluster(Fixtures.nodes("h100", 2, 8));
    final Deliveries deliveries = new Deliveries();
    final MutableClock clock = new MutableClock(Fixtures.T0);
    final CrashPoints points;
    final List<Object> answers = new ArrayList<>();
    ReservationService bot;
    int restarts;
    String crash = "none";

    World(ReservationStore durable, long crashAt) {
        this.durable = durable;
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
        boot();
    }

    private void boot() {
        bot = new ReservationService(new Engine(CATALOG, Limits.defaults()), new RequestValidator(CATALOG, Limits.defaults()),
                new CrashingStore(durable, points), new CrashingCluster(cluster, points), new FakeIdentity(),
                deliveries.notifier(points, () -> bot), clock, new Random(restarts));
        bot.start();
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

    @Override
    public void settle() {
        cluster.settle();
    }
}
