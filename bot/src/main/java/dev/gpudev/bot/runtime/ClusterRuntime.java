package dev.gpudev.bot.runtime;

import java.util.Collection;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.port.Cluster;

/**
 * The cluster port with what the running bot does around it: wait for its first sync, reconcile it with the live
 * reservations, lead (only the leader schedules), and close it.
 */
public record ClusterRuntime(Cluster cluster, BooleanSupplier synced, Consumer<Collection<Reservation>> reconcile,
                             Leadership leadership, AutoCloseable closer) {

    public static ClusterRuntime of(Cluster cluster) {
        return new ClusterRuntime(cluster, () -> true, live -> { }, Leadership.ALWAYS, () -> { });
    }
}
