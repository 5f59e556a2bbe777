package dev.gpudev.bot.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.NodeInfo;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.model.SshPublicKey;
import dev.gpudev.scheduler.policy.ImagePolicy;
import dev.gpudev.scheduler.port.Cluster;
import dev.gpudev.scheduler.port.ClusterListener;
import dev.gpudev.scheduler.port.ServerLog;
import dev.gpudev.scheduler.port.ServerSpec;

/**
 * An in-process cluster of configured nodes. A provisioned server reports "pulling image" at once and ready after
 * {@code readyDelay} of real time divided by the time scale; releasing cancels a server not yet ready.
 */
public final class SimulatedCluster implements Cluster {
    private final ClusterSnapshot snapshot;
    private final Duration readyDelay;
    private final String hostPattern;
    private final ScheduledExecutorService executor;
    private final Map<ReservationId, ScheduledFuture<?>> starting = new ConcurrentHashMap<>();
    private final Consumer<String> wall;
    private final ImagePolicy images;
    private final SimulatedServers servers = new SimulatedServers();
    private volatile ClusterListener listener = new ClusterListener() {
        @Override
        public void serverReady(ReservationId id, ServerAccess access) {
        }

        @Override
        public void serverFailed(ReservationId id, String reason) {
        }

        @Override
        public void serverProgress(ReservationId id, String text) {
        }

        @Override
        public void serverVanished(ReservationId id, String reason) {
        }

        @Override
        public void nodesChanged(ClusterSnapshot snapshot) {
        }
    };

    /**
     * @param readyDelay real time from provisioning to ready (already divided by any time scale)
     * @param images     the images requests may name, as a real cluster's allow-list
     */
    public SimulatedCluster(List<NodeInfo> nodes, Duration readyDelay, String hostPattern, ScheduledExecutorService executor,
                            Consumer<String> wall, ImagePolicy images) {
        this.wall = wall;
        this.images = images;
        this.snapshot = new ClusterSnapshot(nodes);
        this.readyDelay = readyDelay;
        this.hostPattern = hostPattern;
        this.executor = executor;
    }

    @Override
    public ImagePolicy images() {
        return images;
    }

    @Override
    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    @Override
    public void provision(ServerSpec spec) {
        Reservation r = spec.reservation();
        starting.computeIfAbsent(r.id(), id -> {
            executor.execute(() -> listener.serverProgress(id, "pulling image"));
            return executor.schedule(() -> {
                starting.remove(id);
                String host = hostPattern.replace("{node}", r.nodes().getFirst().value()).replace("{id}", id.value());
                listener.serverReady(id, new ServerAccess(host, 22, "dev", r.options().jupyter() ? "http://localhost:8888/lab?token=sandbox" : null,
                        SimulatedServers.about(r, image(r))));
            }, readyDelay.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public void release(Reservation reservation) {
        servers.forget(reservation);
        var pending = starting.remove(reservation.id());
        if (pending != null) {
            pending.cancel(false);
        }
    }

    @Override
    public ServerLog logs(Reservation reservation, int lines) {
        return servers.logs(reservation, image(reservation), lines);
    }

    private String image(Reservation r) {
        return r.options().image() != null ? r.options().image() : images.defaultImage() != null ? images.defaultImage().toString() : "the default image";
    }

    @Override
    public List<String> rankHosts(Reservation reservation) {
        return IntStream.range(1, reservation.nodes().size())
                .mapToObj(rank -> "gpu-dev-" + reservation.id() + "-" + rank + ".gpu-dev-" + reservation.id() + "-nodes").toList();
    }

    @Override
    public void updateKeys(Reservation reservation, List<SshPublicKey> keys) {
        servers.keysChanged(reservation, keys);
    }

    @Override
    public void tell(Reservation reservation, String message) {
        wall.accept("[wall inside " + reservation.id() + "] " + message);
    }

    @Override
    public void listen(ClusterListener l) {
        this.listener = l;
    }
}
