package dev.gpudev.adapters.aws;

import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.testing.CrashWorld;
import dev.gpudev.scheduler.testing.CrashingStore;
import dev.gpudev.scheduler.testing.Fixtures;

/** The crash test's world with a {@link TestCluster}: what the cluster holds survives the bot. */
final class World extends CrashWorld {
    final TestCluster cluster = new TestCluster(Fixtures.nodes("h100", 2, 8));

    World(ReservationStore durable, long crashAt) {
        super(durable, crashAt);
        start();
    }

    @Override
    protected void boot() {
        bot = newBot(new CrashingStore(durable, points), new CrashingCluster(cluster, points));
        bot.start();
    }

    @Override
    public void settle() {
        cluster.settle();
    }
}
