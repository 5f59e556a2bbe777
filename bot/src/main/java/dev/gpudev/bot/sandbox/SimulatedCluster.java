package dev.gpudev.bot.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

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
import dev.gpudev.scheduler.port.InMemoryVolumes;
import dev.gpudev.scheduler.port.ProvisionException;
import dev.gpudev.scheduler.port.ServerSpec;
import dev.gpudev.scheduler.port.VolumeRefusal;
import dev.gpudev.scheduler.port.Volumes;

/**
 * An in-process cluster of configured nodes. A provisioned server reports "pulling image" at once and ready after
 * {@code readyDelay} of real time divided by the time scale; releasing cancels a server not yet ready.
 */
public final class SimulatedCluster implements Cluster {
    private final ClusterSnapshot snapshot;
    private final Duration readyDelay;
    private final String hostPattern;
    private final ScheduledExecutorService executor;
    private final Map<ReservationId, Starting> starting = new ConcurrentHashMap<>();
    private final Consumer<String> wall;
    private final ImagePolicy images;
    private final SimulatedServers servers = new SimulatedServers();
    private final @Nullable InMemoryVolumes volumes;
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
        this(nodes, readyDelay, hostPattern, executor, wall, images, null);
    }

    /** @param volumes the users' simulated disks: a server mounts the home and its {@code --disk}, and snapshots them at its end */
    public SimulatedCluster(List<NodeInfo> nodes, Duration readyDelay, String hostPattern, ScheduledExecutorService executor,
                            Consumer<String> wall, ImagePolicy images, @Nullable InMemoryVolumes volumes) {
        this.volumes = volumes;
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
    public Optional<Volumes> storage() {
        return Optional.ofNullable(volumes);
    }

    /** The simulated disks, for the console's {@code :write} and {@code :ls}. */
    public Optional<InMemoryVolumes> volumes() {
        return Optional.ofNullable(volumes);
    }

    @Override
    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    @Override
    public void provision(ServerSpec spec) {
        Reservation r = spec.reservation();
        starting.computeIfAbsent(r.id(), id -> {
            mount(spec);
            servers.started(r);
            executor.execute(() -> listener.serverProgress(id, "pulling image"));
            Runnable ready = () -> {
                String host = hostPattern.replace("{node}", r.nodes().getFirst().value()).replace("{id}", id.value());
                listener.serverReady(id, new ServerAccess(host, 22, "dev", r.options().jupyter() ? "http://localhost:8888/lab?token=sandbox" : null,
                        SimulatedServers.about(r, image(r))));
            };
            return new Starting(executor.schedule(() -> {
                starting.remove(id);
                ready.run();
            }, readyDelay.toMillis(), TimeUnit.MILLISECONDS), ready);
        });
    }

    /** Makes every server still starting ready now (the sandbox does so before its clock jumps forward). */
    public void startNow() {
        starting.forEach((id, s) -> {
            if (s.timer().cancel(false) && starting.remove(id, s)) {
                s.ready().run();
            }
        });
    }

    private record Starting(ScheduledFuture<?> timer, Runnable ready) {
    }

    /** As the Kubernetes cluster does before creating the pod: a disk another server has refuses this one for good. */
    private void mount(ServerSpec spec) {
        if (volumes == null) {
            return;
        }
        try {
            volumes.mount(spec.reservation().id(), spec.ownerLogin(), spec.disk());
        } catch (VolumeRefusal e) {
            throw ProvisionException.permanent(e.getMessage(), e);
        }
    }

    @Override
    public void release(Reservation reservation) {
        servers.forget(reservation);
        var pending = starting.remove(reservation.id());
        if (pending != null) {
            pending.timer().cancel(false);
        }
        if (volumes != null) {
            volumes.unmount(reservation.id());
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

    /** As the Kubernetes cluster does: the access of the running server, with a Jupyter URL while on; its log says so. */
    @Override
    public ServerAccess switchJupyter(Reservation reservation, boolean on) {
        if (reservation.access() == null) {
            throw ProvisionException.permanent("the server of " + reservation.id() + " is gone", null);
        }
        servers.jupyterSwitched(reservation, on);
        ServerAccess a = reservation.access();
        return new ServerAccess(a.host(), a.port(), a.user(), on ? "http://localhost:8888/lab?token=sandbox" : null, a.about());
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
