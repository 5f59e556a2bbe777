package dev.gpudev.adapters.aws;

import java.util.Set;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.Cluster;
import dev.gpudev.scheduler.port.ClusterListener;
import dev.gpudev.scheduler.port.ServerSpec;
import dev.gpudev.scheduler.testing.CrashPoints;

/** The bot's view of a {@link TestCluster}: provisioning and releasing are crash points. */
record CrashingCluster(TestCluster cluster, CrashPoints points) implements Cluster {
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
        cluster.listen(listener);
    }
}
