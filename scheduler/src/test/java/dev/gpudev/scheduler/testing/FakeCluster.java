package dev.gpudev.scheduler.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.port.Cluster;
import dev.gpudev.scheduler.port.ClusterListener;
import dev.gpudev.scheduler.port.ServerSpec;

/** A cluster that records what it is asked to do; the test says when a server is ready. */
public final class FakeCluster implements Cluster {
    public final List<ServerSpec> provisioned = new CopyOnWriteArrayList<>();
    public final List<Reservation> released = new CopyOnWriteArrayList<>();
    private volatile ClusterSnapshot snapshot;
    private volatile ClusterListener listener;

    public FakeCluster(ClusterSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    @Override
    public void provision(ServerSpec spec) {
        provisioned.add(spec);
    }

    @Override
    public void release(Reservation reservation) {
        released.add(reservation);
    }

    @Override
    public void listen(ClusterListener l) {
        this.listener = l;
    }

    public void ready(ReservationId id) {
        listener.serverReady(id, new ServerAccess("10.0.0.1", 30022, "dev", null));
    }

    public void change(ClusterSnapshot next) {
        snapshot = next;
        listener.nodesChanged(next);
    }

    public ClusterListener listener() {
        return listener;
    }
}
