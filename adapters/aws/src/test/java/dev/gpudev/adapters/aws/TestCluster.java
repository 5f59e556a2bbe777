package dev.gpudev.adapters.aws;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.port.Cluster;
import dev.gpudev.scheduler.port.ClusterListener;
import dev.gpudev.scheduler.port.ServerSpec;

/**
 * A cluster that outlives the bot: its servers stay when the bot crashes. Provisioning is idempotent like the
 * Kubernetes adapter's: asking again for a server that is already ready reports it ready again.
 */
final class TestCluster implements Cluster {
    static final ServerAccess ACCESS = new ServerAccess("10.0.0.1", 30022, "dev", null);

    record Server(List<NodeName> nodes, int gpusPerNode, boolean ready) {
    }

    final Map<ReservationId, Server> servers = new ConcurrentHashMap<>();
    private final ClusterSnapshot snapshot;
    private volatile @Nullable ClusterListener listener;

    TestCluster(ClusterSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    @Override
    public void provision(ServerSpec spec) {
        Reservation r = spec.reservation();
        Server s = servers.computeIfAbsent(r.id(), id -> new Server(r.nodes(), r.gpusPerNode(), false));
        if (s.ready()) {
            listener().serverReady(r.id(), ACCESS);
        }
    }

    @Override
    public void release(Reservation reservation) {
        servers.remove(reservation.id());
    }

    @Override
    public Set<ReservationId> servers() {
        return Set.copyOf(servers.keySet());
    }

    @Override
    public void listen(ClusterListener l) {
        listener = l;
    }

    /** Every server that is starting becomes ready, and the bot hears of it. */
    void settle() {
        for (var e : Map.copyOf(servers).entrySet()) {
            if (!e.getValue().ready()) {
                servers.computeIfPresent(e.getKey(), (id, s) -> new Server(s.nodes(), s.gpusPerNode(), true));
                listener().serverReady(e.getKey(), ACCESS);
            }
        }
    }

    /** GPUs the servers take on each node. */
    Map<NodeName, Integer> used() {
        Map<NodeName, Integer> used = new java.util.HashMap<>();
        servers.values().forEach(s -> s.nodes().forEach(n -> used.merge(n, s.gpusPerNode(), Integer::sum)));
        return used;
    }

    private ClusterListener listener() {
        ClusterListener l = listener;
        if (l == null) {
            throw new IllegalStateException("nobody listens to the cluster");
        }
        return l;
    }
}
