package dev.gpudev.bot.durability;

import java.util.Set;

import dev.gpudev.adapters.kubernetes.KubernetesCluster;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.Cluster;
import dev.gpudev.scheduler.port.ClusterListener;
import dev.gpudev.scheduler.port.ServerSpec;
import dev.gpudev.scheduler.testing.CrashPoints;

/**
 * The bot's view of the real {@link KubernetesCluster}: provisioning, releasing and listing servers are crash points.
 * The cluster reports into a {@link Mailbox}, which the test empties into the bot at known points of the script.
 * {@code tell} (a wall message through exec) stays the port's no-op: the mock server has no exec.
 */
record CrashingCluster(KubernetesCluster cluster, CrashPoints points, Mailbox mailbox) implements Cluster {
    @Override
    public ClusterSnapshot snapshot() {
        return cluster.snapshot();
    }

    @Override
    public void provision(ServerSpec spec) {
        points.around("provision " + spec.reservation().id(), () -> cluster.provision(spec));
    }

    @Override
    public void release(Reservation reservation) {
        points.around("release " + reservation.id(), () -> cluster.release(reservation));
    }

    @Override
    public Set<ReservationId> servers() {
        return points.around("list servers", cluster::servers);
    }

    @Override
    public void listen(ClusterListener listener) {
        mailbox.deliverTo(listener);
    }
}
