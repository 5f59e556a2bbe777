package dev.gpudev.adapters.aws;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

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

    /** @param seq the order of first provisioning: readiness is reported in it, never in the order of random ids */
    record Server(List<NodeName> nodes, int gpusPerNode, boolean ready, long seq) {
    }

    private final AtomicLong provisioned = new AtomicLong();

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
        Server s = servers.computeIfAbsent(r.id(), id -> new Server(r.nodes(), r.gpusPerNode(), false, provisioned.incrementAndGet()));
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
    /**
     * Every server started so far becomes ready, including those the bot starts while hearing of the others (a
     * backfill): readiness is the cluster's, so a bot that dies half-way and hears the rest again ends where it would have.
     */
    void settle() {
        boolean more = true;
        while (more) {
            more = false;
            List<Map.Entry<ReservationId, Server>> inOrder = servers.entrySet().stream()
                    .sorted(Comparator.comparingLong(e -> e.getValue().seq())).toList();
            for (var e : inOrder) {
                if (!e.getValue().ready()) {
                    servers.computeIfPresent(e.getKey(), (id, s) -> new Server(s.nodes(), s.gpusPerNode(), true, s.seq()));
                    listener().serverReady(e.getKey(), ACCESS);
                    more = true;
                }
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
