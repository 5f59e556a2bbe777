package dev.gpudev.bot.config;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * The {@code cluster} subtree, but for the kind's own settings ({@code cluster.simulated}, {@code cluster.kubernetes}).
 *
 * @param reconcileInterval how often servers are reconciled with reservations (and the leader reads the store again)
 * @param syncTimeout       how long start-up waits for the cluster view's first sync
 */
public record ClusterSettings(String kind, Duration reconcileInterval, Duration syncTimeout) {
    public static ClusterSettings create(Config cluster) {
        return new ClusterSettings(cluster.get("kind").asString().get(), cluster.get("reconcile-interval").as(Duration.class).get(),
                cluster.get("sync-timeout").as(Duration.class).get());
    }
}
