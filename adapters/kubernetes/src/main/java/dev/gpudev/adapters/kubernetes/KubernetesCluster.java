package dev.gpudev.adapters.kubernetes;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.jspecify.annotations.Nullable;

import dev.gpudev.adapters.kubernetes.capacity.Capacity;
import dev.gpudev.adapters.kubernetes.lifecycle.ApiFailure;
import dev.gpudev.adapters.kubernetes.lifecycle.Provisioner;
import dev.gpudev.adapters.kubernetes.lifecycle.ServerWatch;
import dev.gpudev.adapters.kubernetes.lifecycle.SshProbe;
import dev.gpudev.adapters.kubernetes.server.Access;
import dev.gpudev.adapters.kubernetes.server.Jupyter;
import dev.gpudev.adapters.kubernetes.server.Keys;
import dev.gpudev.adapters.kubernetes.server.Labels;
import dev.gpudev.adapters.kubernetes.server.Logs;
import dev.gpudev.adapters.kubernetes.server.NodeResources;
import dev.gpudev.adapters.kubernetes.server.ServerObjects;
import dev.gpudev.adapters.kubernetes.storage.KubernetesVolumes;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.model.SshPublicKey;
import dev.gpudev.scheduler.policy.ImagePolicy;
import dev.gpudev.scheduler.port.Cluster;
import dev.gpudev.scheduler.port.ClusterListener;
import dev.gpudev.scheduler.port.ProvisionException;
import dev.gpudev.scheduler.port.ServerLog;
import dev.gpudev.scheduler.port.ServerSpec;
import dev.gpudev.scheduler.port.Volumes;

/**
 * The cluster port on Kubernetes. Informers on the GPU nodes of each catalog type, on all pods (foreign pods use
 * GPUs too) and on the events of the server namespace keep the view current; nothing polls.
 * Call {@link #start()} once, and {@link #reconcile} after the service started and then periodically.
 */
public final class KubernetesCluster implements Cluster, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(KubernetesCluster.class.getName());
    private static final String ZONE = "topology.kubernetes.io/zone";

    private final KubernetesClient client;
    private final KubernetesSettings settings;
    private final ImagePolicy images;
    private final GpuCatalog catalog;
    private final Provisioner provisioner;
    private final KubernetesVolumes volumes;
    private final ServerWatch watch;
    private final Logs logs;
    private final List<SharedIndexInformer<Node>> nodeInformers = new CopyOnWriteArrayList<>();
    private final List<SharedIndexInformer<?>> informers = new CopyOnWriteArrayList<>();
    private volatile @Nullable SharedIndexInformer<Pod> podInformer;
    /** Reservations never come back once released; a provision racing a release must not leave a server behind. */
    private final Set<ReservationId> released = ConcurrentHashMap.newKeySet();

    public KubernetesCluster(KubernetesClient client, KubernetesSettings settings, GpuCatalog catalog, SshProbe probe) {
        this(client, settings, catalog, probe, Clock.systemUTC());
    }

    public KubernetesCluster(KubernetesClient client, KubernetesSettings settings, GpuCatalog catalog, SshProbe probe, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.images = settings.imagePolicy();
        this.catalog = catalog;
        this.logs = new Logs(client, settings.namespace());
        this.volumes = new KubernetesVolumes(client, settings, clock);
        this.provisioner = new Provisioner(client, settings, volumes);
        this.watch = new ServerWatch(client, settings, probe, new ServerWatch.Caches() {
            @Override
            public List<Pod> podsOf(ReservationId id) {
                return KubernetesCluster.this.podsOf(id);
            }

            @Override
            public @Nullable Node node(String name) {
                return KubernetesCluster.this.node(name);
            }

            @Override
            public ClusterSnapshot snapshot() {
                return KubernetesCluster.this.snapshot();
            }
        });
    }

    /** Starts the informers; {@link #synced()} tells when their first lists arrived. */
    public synchronized void start() {
        if (!informers.isEmpty()) {
            return;
        }
        for (GpuType t : catalog.types()) {
            if (!t.nodeSelector().isEmpty()) {
                nodeInformers.add(client.nodes().withLabels(t.nodeSelector()).inform(handler((n, gone) -> watch.capacityChanged())));
            }
        }
        informers.addAll(nodeInformers);
        SharedIndexInformer<Pod> pods = client.pods().inAnyNamespace().inform(handler((p, gone) -> {
            watch.capacityChanged();
            watch.podChanged(p, gone);
        }));
        podInformer = pods;
        informers.add(pods);
        informers.add(client.v1().events().inNamespace(settings.namespace()).inform(handler((e, gone) -> {
            if (!gone) {
                watch.eventSeen(e);
            }
        })));
    }

    /** True once every informer has its first list: before that, the snapshot would show too few GPUs in use. */
    public boolean synced() {
        return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** Reservations that have pods of this bot, read from the API server (used at start, before any cache is trusted). */
    @Override
    public Set<ReservationId> servers() {
        return client.pods().inNamespace(settings.namespace()).withLabels(Labels.managed()).list().getItems().stream()
                .map(p -> p.getMetadata().getLabels().get(Labels.RESERVATION))
                .filter(Objects::nonNull)
                .map(ReservationId::new)
                .collect(Collectors.toSet());
    }

    @Override
    public ClusterSnapshot snapshot() {
        SharedIndexInformer<Pod> pods = podInformer;
        if (pods == null) {
            return ClusterSnapshot.EMPTY;
        }
        // a node matching two types' selectors is listed by both informers
        Collection<Node> nodes = nodeInformers.stream().flatMap(i -> i.getStore().list().stream())
                .collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n, (a, b) -> a)).values();
        return Capacity.snapshot(nodes, pods.getStore().list(), catalog, settings.placementGroupLabel(), settings.tolerations());
    }

    @Override
    public void provision(ServerSpec spec) {
        Reservation r = spec.reservation();
        if (released.contains(r.id())) {
            return;
        }
        // A request queued before the allow-list changed (or before it existed) runs no image it no longer allows.
        String image = r.options().image();
        if (image != null && images.admit(image).isEmpty()) {
            watch.refuse(r.id(), images.refusal(image));
            return;
        }
        GpuType type = catalog.require(r.gpuType());
        String token;
        try {
            token = provisioner.provision(spec, type.gpusPerNode(), n -> {
                Node node = node(n.value());
                return node == null ? NodeResources.UNKNOWN : NodeResources.of(node);
            }, n -> {
                Node node = node(n.value());
                return node == null || node.getMetadata().getLabels() == null ? ""
                        : node.getMetadata().getLabels().getOrDefault(ZONE, "");
            });
        } catch (KubernetesClientException e) {
            throw ApiFailure.of(e);
        }
        if (released.contains(r.id())) {
            provisioner.release(r.id());
            return;
        }
        watch.track(r, r.options().image() != null ? r.options().image() : settings.image(), token, false);
    }

    @Override
    public void release(Reservation reservation) {
        released.add(reservation.id());
        watch.untrack(reservation.id());
        provisioner.release(reservation.id());
    }

    /**
     * Deletes the servers of reservations that are not live (and not being started by this process), and reports
     * live reservations whose server is gone. Reads the API server, not the caches, so it also works before sync.
     */
    public void reconcile(Collection<Reservation> live) {
        Set<ReservationId> keep = new HashSet<>();
        live.stream().filter(r -> r.state().holdsGpus()).forEach(r -> keep.add(r.id()));
        String ns = settings.namespace();
        List<Pod> pods = client.pods().inNamespace(ns).withLabels(Labels.managed()).list().getItems();
        List<Secret> secrets = client.secrets().inNamespace(ns).withLabels(Labels.managed()).list().getItems();
        List<NetworkPolicy> peers = settings.network().peerPolicy()
                ? client.network().v1().networkPolicies().inNamespace(ns).withLabels(Labels.managed()).list().getItems()
                : List.of();
        Set<ReservationId> orphans = new HashSet<>();
        Stream.of(pods, client.services().inNamespace(ns).withLabels(Labels.managed()).list().getItems(), secrets, peers)
                .flatMap(List::stream)
                .map(o -> Labels.reservationOf((HasMetadata) o))
                .flatMap(Optional::stream)
                .filter(id -> !keep.contains(id) && !watch.tracks(id))
                .forEach(orphans::add);
        for (ReservationId id : orphans) {
            LOG.log(Level.INFO, "deleting the server of " + id + ": it has no live reservation");
            released.add(id);
            provisioner.release(id);
        }
        Map<ReservationId, String> images = new HashMap<>();
        for (Pod p : pods) {
            Labels.reservationOf(p).ifPresent(id -> images.put(id, p.getSpec().getContainers().getFirst().getImage()));
        }
        Map<ReservationId, String> tokens = new HashMap<>();
        for (Secret s : secrets) {
            Labels.reservationOf(s).ifPresent(id -> tokens.put(id, ServerObjects.jupyterToken(s)));
        }
        watch.adopt(live, images, tokens);
        try {
            volumes.reconcile();
        } catch (KubernetesClientException e) {
            LOG.log(Level.WARNING, "disks not reconciled: " + e.getMessage());
        }
    }

    /** Users' disks and snapshots, for the chat layer (the same object provisioning and release use). */
    public Volumes volumes() {
        return volumes;
    }

    /** The server's pod events and the end of rank 0's log (see {@link Logs}). */
    @Override
    public ServerLog logs(Reservation reservation, int lines) {
        return logs.read(reservation, lines);
    }

    /** Through the headless Service of a multi-node server: what rank 0 resolves the other ranks by. */
    @Override
    public List<String> rankHosts(Reservation reservation) {
        return IntStream.range(1, reservation.nodes().size())
                .mapToObj(rank -> Labels.podName(reservation.id(), rank) + "." + Labels.headlessName(reservation.id())).toList();
    }

    /** Replaces the keys in the server's Secret; every rank's bootstrap copies them for sshd (see {@link Keys}). */
    @Override
    public void updateKeys(Reservation reservation, List<SshPublicKey> keys) {
        try {
            Keys.replace(client, settings.namespace(), reservation.id(), keys);
        } catch (KubernetesClientException e) {
            throw ApiFailure.of(e);
        }
    }

    /**
     * Writes Jupyter's desired state (see {@link Jupyter}) and answers the server's access as it is now: the Service's
     * port and rank 0's node as at readiness, the URL with the token now in the Secret.
     */
    @Override
    public ServerAccess switchJupyter(Reservation reservation, boolean on) {
        try {
            String token = Jupyter.turn(client, settings, reservation, on);
            Service service = client.services().inNamespace(settings.namespace()).withName(Labels.serverName(reservation.id())).get();
            if (service == null) {
                throw ProvisionException.permanent("the server of " + reservation.id() + " is gone", null);
            }
            ServerAccess access = Access.of(settings, reservation, service, node(reservation.nodes().getFirst().value()), token)
                    .orElseThrow(() -> ProvisionException.retryable("the server's address is not known yet", null));
            if (on && access.jupyterUrl() == null) {
                throw ProvisionException.retryable("Jupyter's port on the Service has no address yet", null);
            }
            return access;
        } catch (KubernetesClientException e) {
            throw ApiFailure.of(e);
        }
    }

    @Override
    public Optional<Volumes> storage() {
        return volumes.enabled() ? Optional.of(volumes) : Optional.empty();
    }

    @Override
    public void tell(Reservation reservation, String message) {
        if (reservation.state() == ReservationState.ACTIVE) {
            watch.wall(reservation, message);
        }
    }

    /** {@code cluster.kubernetes.jupyter}: without it the server objects have no Jupyter, so requests for it are refused. */
    @Override
    public boolean offersJupyter() {
        return settings.jupyter();
    }

    /** {@code cluster.kubernetes.image} and {@code cluster.kubernetes.images}. */
    @Override
    public ImagePolicy images() {
        return images;
    }

    @Override
    public void listen(ClusterListener listener) {
        watch.listen(listener);
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        watch.close();
    }

    private List<Pod> podsOf(ReservationId id) {
        SharedIndexInformer<Pod> pods = podInformer;
        if (pods == null) {
            return List.of();
        }
        return pods.getStore().list().stream()
                .filter(p -> settings.namespace().equals(p.getMetadata().getNamespace()))
                .filter(p -> Labels.reservationOf(p).filter(id::equals).isPresent())
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
    }

    private @Nullable Node node(String name) {
        for (SharedIndexInformer<Node> i : nodeInformers) {
            Node n = i.getStore().getByKey(name);
            if (n != null) {
                return n;
            }
        }
        return null;
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> handler(BiConsumer<T, Boolean> onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                onChange.accept(obj, false);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onChange.accept(newObj, false);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onChange.accept(obj, true);
            }
        };
    }
}
