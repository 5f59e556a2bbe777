package dev.gpudev.adapters.kubernetes.storage;

import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jspecify.annotations.Nullable;

import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.adapters.kubernetes.server.Labels;
import dev.gpudev.adapters.kubernetes.server.Mounts;
import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.Disk;
import dev.gpudev.scheduler.port.DiskSnapshot;
import dev.gpudev.scheduler.port.ProvisionException;
import dev.gpudev.scheduler.port.VolumeRefusal;
import dev.gpudev.scheduler.port.Volumes;

/**
 * Disks as PersistentVolumeClaims and snapshots as CSI VolumeSnapshots. A disk is the newest generation of its claims:
 * a restore, or a move to another zone, creates the next generation from a snapshot, and the older one is deleted only
 * once the newer is Bound (its data arrived). Every step creates an object with a name derived from what it does, so a
 * step repeated after a crash finds its object and goes on. The one lock keeps "is it mounted?" and the mount together
 * in this process; the leader is the only process that provisions.
 */
public final class KubernetesVolumes implements Volumes {
    private static final System.Logger LOG = System.getLogger(KubernetesVolumes.class.getName());
    private static final List<String> ZONE_KEYS = List.of("topology.kubernetes.io/zone", "topology.ebs.csi.aws.com/zone");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);

    private final KubernetesClient client;
    private final KubernetesSettings settings;
    private final Clock clock;

    public KubernetesVolumes(KubernetesClient client, KubernetesSettings settings, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.clock = clock;
    }

    public boolean enabled() {
        return !settings.homeStorageClass().isEmpty();
    }

    // ---- servers: mount, end, reconcile

    /**
     * Makes the claims a new server mounts ready, in the zone of its first node: the home (created on first use, or
     * restored from its newest snapshot if its claim is gone) and the named disk.
     *
     * @throws ProvisionException.Permanent when the disk does not exist or another server has it mounted
     */
    public synchronized Mounts prepare(ReservationId server, GithubLogin owner, @Nullable DiskName disk, String zone) {
        if (!enabled()) {
            return Mounts.NONE;
        }
        String diskClaim = null;
        if (disk != null) {
            PersistentVolumeClaim cur = current(owner, disk);
            if (cur == null) {
                throw ProvisionException.permanent("you have no disk named " + disk + "; `/gpu disk create " + disk
                        + " SIZE` makes one", null);
            }
            ReservationId by = mountedBy(owner, disk, server);
            if (by != null) {
                throw ProvisionException.permanent(busy(disk, by, true), null);
            }
            diskClaim = follow(server, owner, disk, cur, zone);
        }
        String home = null;
        PersistentVolumeClaim cur = current(owner, DiskName.HOME);
        if (cur == null) {
            // first use, or lost: from the newest ready snapshot if there is one; past any claim still being deleted
            home = createIfAbsent(DiskObjects.claim(owner, DiskName.HOME, nextGeneration(owner, DiskName.HOME),
                    settings.homeSize(), settings, newestReady(owner, DiskName.HOME).map(v -> v.getMetadata().getName()).orElse(null)));
        } else if (settings.homeSharedAcrossNodes() || mountedBy(owner, DiskName.HOME, server) == null) {
            home = follow(server, owner, DiskName.HOME, cur, zone);
        } else {
            // one mount at a time: the owner's other server has the home; this one starts with /workspace only
            LOG.log(Level.INFO, server + " starts without the home of " + owner + ": another server of theirs has it");
        }
        return new Mounts(home, diskClaim, disk);
    }

    /**
     * Snapshots the disks a server mounts before it is deleted (a server that ends keeps its data in the disk and
     * in this snapshot), then deletes automatic snapshots beyond the kept count. Repeating it is harmless.
     */
    public synchronized void ended(ReservationId server) {
        if (!enabled()) {
            return;
        }
        List<Pod> pods = client.pods().inNamespace(settings.namespace()).withLabels(Labels.of(server)).list().getItems();
        Set<String> claims = pods.stream().flatMap(p -> claimsOf(p).stream()).collect(Collectors.toSet());
        for (String name : claims) {
            PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(settings.namespace()).withName(name).get();
            Optional<GithubLogin> owner = claim == null ? Optional.empty() : ownerOf(claim);
            if (owner.isEmpty()) {
                continue;
            }
            DiskName disk = diskOf(claim);
            createIfAbsent(DiskObjects.snapshot(owner.get(), disk, "end-" + server.value(), name, DiskSnapshot.Kind.END,
                    clock.instant(), settings));
            prune(owner.get(), disk);
        }
    }

    /**
     * Finishes what a crash or a slow controller left: an older generation whose newer one is Bound is deleted (unless
     * still mounted); a newer one that can never be provisioned (its snapshot failed) is deleted, so the older stays
     * the disk.
     */
    public synchronized void reconcile() {
        if (!enabled()) {
            return;
        }
        Map<String, List<PersistentVolumeClaim>> byDisk = new LinkedHashMap<>();
        for (PersistentVolumeClaim c : claims(Labels.managed())) {
            if (c.getMetadata().getLabels().get(Labels.DISK) != null) {
                byDisk.computeIfAbsent(c.getMetadata().getLabels().get(Labels.OWNER) + "/" + diskOf(c), k -> new ArrayList<>()).add(c);
            }
        }
        Set<String> mounted = mountedClaims().keySet();
        Map<String, VolumeSnapshot> snaps = snapshots(Labels.managed()).stream()
                .collect(Collectors.toMap(v -> v.getMetadata().getName(), v -> v));
        for (List<PersistentVolumeClaim> gens : byDisk.values()) {
            gens.sort(Comparator.comparingInt(KubernetesVolumes::generation).reversed());
            for (PersistentVolumeClaim c : gens) {
                String source = source(c);
                if (!bound(c) && source != null && snaps.containsKey(source) && snaps.get(source).failed()
                        && !mounted.contains(name(c)) && gens.size() > 1) {
                    LOG.log(Level.WARNING, "deleting " + name(c) + ": its snapshot " + source + " failed; the disk stays "
                            + "the previous generation");
                    delete(c);
                }
            }
            gens.stream().filter(KubernetesVolumes::bound).findFirst().ifPresent(newestBound -> gens.stream()
                    .filter(c -> generation(c) < generation(newestBound) && !mounted.contains(name(c)))
                    .forEach(c -> {
                        LOG.log(Level.INFO, "deleting " + name(c) + ": generation " + generation(newestBound) + " has its data");
                        delete(c);
                    }));
        }
    }

    // ---- the port for the chat layer

    @Override
    public synchronized List<Disk> disks(GithubLogin owner) {
        Map<DiskName, PersistentVolumeClaim> newest = new LinkedHashMap<>();
        claimsOf(owner).forEach(c -> newest.merge(diskOf(c), c, (a, b) -> generation(a) >= generation(b) ? a : b));
        Map<String, ReservationId> mounted = mountedClaims();
        return newest.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<DiskName, PersistentVolumeClaim> e) -> !e.getKey().isHome())
                        .thenComparing(e -> e.getKey().value()))
                .map(e -> new Disk(e.getKey(), gib(e.getValue()), mountedIn(owner, e.getKey(), mounted, null), zone(e.getValue())))
                .toList();
    }

    @Override
    public synchronized Disk create(GithubLogin owner, DiskName name, long sizeGib) {
        if (name.isHome()) {
            throw new VolumeRefusal("`home` is your persistent home, made on first use; choose another name");
        }
        if (current(owner, name) != null) {
            throw new VolumeRefusal("you have a disk named " + name + " already");
        }
        List<Disk> named = disks(owner).stream().filter(d -> !d.name().isHome()).toList();
        settings.storage().quota().admit(named.size(), named.stream().mapToLong(Disk::sizeGib).sum(), sizeGib);
        createIfAbsent(DiskObjects.claim(owner, name, nextGeneration(owner, name), sizeGib + "Gi", settings, null));
        return new Disk(name, sizeGib, null, "");
    }

    @Override
    public synchronized void delete(GithubLogin owner, DiskName name) {
        if (name.isHome()) {
            throw new VolumeRefusal("the home cannot be deleted from chat; ask an admin");
        }
        if (current(owner, name) == null) {
            throw new VolumeRefusal("you have no disk named " + name + "; `/gpu disk list` shows yours");
        }
        ReservationId by = mountedBy(owner, name, null);
        if (by != null) {
            throw new VolumeRefusal(busy(name, by, false));
        }
        allClaims(owner, name).forEach(this::delete);
    }

    @Override
    public synchronized DiskSnapshot snapshot(GithubLogin owner, DiskName name) {
        PersistentVolumeClaim cur = current(owner, name);
        if (cur == null) {
            throw new VolumeRefusal("you have no disk named " + name + "; `/gpu disk list` shows yours");
        }
        long manual = snapshots(DiskObjects.of(owner, name)).stream().filter(v -> kind(v) == DiskSnapshot.Kind.MANUAL).count();
        if (manual >= settings.storage().quota().maxManualSnapshots()) {
            throw new VolumeRefusal(name + " has " + manual + " snapshots you took, the most kept per disk; restore or"
                    + " delete one first");
        }
        Instant now = clock.instant();
        VolumeSnapshot v = DiskObjects.snapshot(owner, name, "m-" + STAMP.format(now), name(cur), DiskSnapshot.Kind.MANUAL,
                now, settings);
        createIfAbsent(v);
        return info(v);
    }

    @Override
    public synchronized List<DiskSnapshot> snapshots(GithubLogin owner, DiskName name) {
        return newestFirst(snapshots(DiskObjects.of(owner, name))).stream().map(KubernetesVolumes::info).toList();
    }

    @Override
    public synchronized Disk restore(GithubLogin owner, DiskName name, @Nullable String snapshotId) {
        List<VolumeSnapshot> all = newestFirst(snapshots(DiskObjects.of(owner, name)));
        VolumeSnapshot from = (snapshotId == null
                ? all.stream().filter(VolumeSnapshot::ready).findFirst()
                : all.stream().filter(v -> info(v).id().equals(snapshotId)).findFirst())
                .orElseThrow(() -> new VolumeRefusal(snapshotId == null ? name + " has no snapshot to restore"
                        : "no snapshot " + snapshotId + " of " + name + "; `/gpu disk snapshots " + name + "` lists them"));
        if (from.failed()) {
            throw new VolumeRefusal("snapshot " + snapshotId + " failed and holds nothing; choose another");
        }
        ReservationId by = mountedBy(owner, name, null);
        if (by != null) {
            throw new VolumeRefusal(busy(name, by, false));
        }
        PersistentVolumeClaim cur = current(owner, name);
        Instant now = clock.instant();
        if (cur != null) {
            createIfAbsent(DiskObjects.snapshot(owner, name, "r-" + STAMP.format(now), name(cur), DiskSnapshot.Kind.BEFORE_RESTORE,
                    now, settings));
        }
        int generation = nextGeneration(owner, name);
        String size = cur != null ? cur.getSpec().getResources().getRequests().get("storage").toString()
                : from.getStatus() != null && from.getStatus().restoreSize() != null ? from.getStatus().restoreSize()
                : name.isHome() ? settings.homeSize() : "100Gi";
        PersistentVolumeClaim next = DiskObjects.claim(owner, name, generation, size, settings, from.getMetadata().getName());
        createIfAbsent(next);
        return new Disk(name, gib(next), null, "");
    }

    @Override
    public synchronized Optional<String> checkMount(GithubLogin owner, DiskName name) {
        if (current(owner, name) == null) {
            return Optional.of("you have no disk named " + name + "; `/gpu disk create " + name + " SIZE` makes one");
        }
        return Optional.ofNullable(mountedBy(owner, name, null)).map(by -> busy(name, by, true));
    }

    // ---- steps

    /** The claim this server mounts: the current one, or (RWO in another zone) the next generation restored here. */
    private String follow(ReservationId server, GithubLogin owner, DiskName disk, PersistentVolumeClaim cur, String zone) {
        String at = zone(cur);
        if (settings.homeSharedAcrossNodes() || at.isEmpty() || zone.isEmpty() || at.equals(zone)) {
            return name(cur);
        }
        LOG.log(Level.INFO, "moving " + name(cur) + " from " + at + " to " + zone + " for " + server);
        VolumeSnapshot move = DiskObjects.snapshot(owner, disk, "move-" + server.value(), name(cur), DiskSnapshot.Kind.MOVE,
                clock.instant(), settings);
        createIfAbsent(move);
        return createIfAbsent(DiskObjects.claim(owner, disk, generation(cur) + 1,
                cur.getSpec().getResources().getRequests().get("storage").toString(), settings, move.getMetadata().getName()));
    }

    /** Keeps the newest {@code keep-snapshots} ready automatic snapshots; never one a pending restore reads from. */
    private void prune(GithubLogin owner, DiskName disk) {
        List<VolumeSnapshot> auto = newestFirst(snapshots(DiskObjects.of(owner, disk))).stream()
                .filter(v -> kind(v).automatic()).toList();
        int keep = settings.storage().quota().keepSnapshots();
        List<VolumeSnapshot> ready = auto.stream().filter(VolumeSnapshot::ready).toList();
        if (ready.size() <= keep) {
            return;
        }
        Instant oldestKept = takenAt(ready.get(keep - 1));
        Set<String> sources = claims(Labels.managed()).stream().filter(c -> !bound(c)).map(KubernetesVolumes::source)
                .filter(Objects::nonNull).collect(Collectors.toSet());
        auto.stream().filter(v -> takenAt(v).isBefore(oldestKept) && !sources.contains(v.getMetadata().getName()))
                .forEach(v -> {
                    LOG.log(Level.INFO, "deleting snapshot " + v.getMetadata().getName() + ": beyond the " + keep + " kept");
                    client.resource(v).inNamespace(settings.namespace()).delete();
                });
    }

    private String createIfAbsent(HasMetadata desired) {
        var resource = client.resource(desired).inNamespace(settings.namespace());
        if (resource.get() == null) {
            try {
                resource.create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
            }
        }
        return desired.getMetadata().getName();
    }

    private void delete(PersistentVolumeClaim c) {
        client.persistentVolumeClaims().inNamespace(settings.namespace()).withName(name(c)).delete();
    }

    // ---- reading

    /** The disk: its newest generation that is not being deleted. */
    private @Nullable PersistentVolumeClaim current(GithubLogin owner, DiskName disk) {
        return allClaims(owner, disk).stream().filter(c -> c.getMetadata().getDeletionTimestamp() == null)
                .max(Comparator.comparingInt(KubernetesVolumes::generation)).orElse(null);
    }

    private int nextGeneration(GithubLogin owner, DiskName disk) {
        return allClaims(owner, disk).stream().mapToInt(KubernetesVolumes::generation).max().orElse(-1) + 1;
    }

    private List<PersistentVolumeClaim> allClaims(GithubLogin owner, DiskName disk) {
        List<PersistentVolumeClaim> list = new ArrayList<>(claims(DiskObjects.of(owner, disk)));
        if (disk.isHome() && list.stream().noneMatch(c -> generation(c) == 0)) {
            // a home made before disks existed: named like generation 0, labelled only home-of
            PersistentVolumeClaim legacy = client.persistentVolumeClaims().inNamespace(settings.namespace())
                    .withName(Labels.homeClaimName(owner)).get();
            if (legacy != null) {
                list.add(legacy);
            }
        }
        return list;
    }

    private List<PersistentVolumeClaim> claimsOf(GithubLogin owner) {
        List<PersistentVolumeClaim> list = new ArrayList<>(claims(DiskObjects.of(owner)));
        list.removeIf(c -> c.getMetadata().getDeletionTimestamp() != null || c.getMetadata().getLabels().get(Labels.DISK) == null);
        if (list.stream().noneMatch(c -> diskOf(c).isHome())) {
            allClaims(owner, DiskName.HOME).stream().filter(c -> c.getMetadata().getDeletionTimestamp() == null).forEach(list::add);
        }
        return list;
    }

    private List<PersistentVolumeClaim> claims(Map<String, String> labels) {
        return client.persistentVolumeClaims().inNamespace(settings.namespace()).withLabels(labels).list().getItems();
    }

    private List<VolumeSnapshot> snapshots(Map<String, String> labels) {
        return client.resources(VolumeSnapshot.class).inNamespace(settings.namespace()).withLabels(labels).list().getItems();
    }

    private Optional<VolumeSnapshot> newestReady(GithubLogin owner, DiskName disk) {
        return newestFirst(snapshots(DiskObjects.of(owner, disk))).stream().filter(VolumeSnapshot::ready).findFirst();
    }

    /** Which claims the servers' pods (not being deleted) mount, and the reservation of each. */
    private Map<String, ReservationId> mountedClaims() {
        Map<String, ReservationId> mounted = new HashMap<>();
        for (Pod p : client.pods().inNamespace(settings.namespace()).withLabels(Labels.managed()).list().getItems()) {
            if (p.getMetadata().getDeletionTimestamp() == null) {
                Labels.reservationOf(p).ifPresent(id -> claimsOf(p).forEach(c -> mounted.put(c, id)));
            }
        }
        return mounted;
    }

    /** The reservation (other than {@code except}) whose server mounts any generation of the disk. */
    private @Nullable ReservationId mountedBy(GithubLogin owner, DiskName disk, @Nullable ReservationId except) {
        return mountedIn(owner, disk, mountedClaims(), except);
    }

    private @Nullable ReservationId mountedIn(GithubLogin owner, DiskName disk, Map<String, ReservationId> mounted,
                                            @Nullable ReservationId except) {
        return allClaims(owner, disk).stream().map(c -> mounted.get(name(c))).filter(Objects::nonNull)
                .filter(id -> !id.equals(except)).findFirst().orElse(null);
    }

    private static List<String> claimsOf(Pod p) {
        List<Volume> volumes = p.getSpec() == null || p.getSpec().getVolumes() == null ? List.of() : p.getSpec().getVolumes();
        return volumes.stream().filter(v -> v.getPersistentVolumeClaim() != null)
                .map(v -> v.getPersistentVolumeClaim().getClaimName()).toList();
    }

    /** The zone of the volume a claim is bound to, from the PersistentVolume's node affinity; empty while unbound. */
    private String zone(PersistentVolumeClaim c) {
        String volume = c.getSpec() == null ? null : c.getSpec().getVolumeName();
        if (volume == null || volume.isEmpty()) {
            return "";
        }
        PersistentVolume pv;
        try {
            pv = client.persistentVolumes().withName(volume).get();
        } catch (KubernetesClientException e) {
            // without the read of volumes (chart RBAC), disks are not moved: a server in another zone then waits
            LOG.log(Level.WARNING, "cannot read the zone of " + volume + ": " + e.getMessage());
            return "";
        }
        if (pv == null || pv.getSpec().getNodeAffinity() == null || pv.getSpec().getNodeAffinity().getRequired() == null) {
            return "";
        }
        for (NodeSelectorTerm t : pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms()) {
            for (NodeSelectorRequirement r : t.getMatchExpressions()) {
                if (ZONE_KEYS.contains(r.getKey()) && r.getValues() != null && !r.getValues().isEmpty()) {
                    return r.getValues().getFirst();
                }
            }
        }
        return "";
    }

    private static Optional<GithubLogin> ownerOf(PersistentVolumeClaim c) {
        Map<String, String> l = c.getMetadata().getLabels();
        String login = l == null ? null : l.getOrDefault(Labels.OWNER, l.get(Labels.HOME_OF));
        return login != null && GithubLogin.isValid(login) ? Optional.of(new GithubLogin(login)) : Optional.empty();
    }

    private static DiskName diskOf(PersistentVolumeClaim c) {
        String d = c.getMetadata().getLabels() == null ? null : c.getMetadata().getLabels().get(Labels.DISK);
        return d == null ? DiskName.HOME : new DiskName(d);
    }

    private static int generation(PersistentVolumeClaim c) {
        String g = c.getMetadata().getLabels() == null ? null : c.getMetadata().getLabels().get(Labels.GENERATION);
        try {
            return g == null ? 0 : Integer.parseInt(g);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean bound(PersistentVolumeClaim c) {
        return c.getStatus() != null && "Bound".equals(c.getStatus().getPhase());
    }

    private static @Nullable String source(PersistentVolumeClaim c) {
        return c.getSpec() == null || c.getSpec().getDataSource() == null ? null : c.getSpec().getDataSource().getName();
    }

    private static String name(HasMetadata o) {
        return o.getMetadata().getName();
    }

    private static long gib(PersistentVolumeClaim c) {
        Quantity q = c.getSpec().getResources().getRequests().get("storage");
        return Quantity.getAmountInBytes(q).divide(GIB, 0, RoundingMode.UP).longValueExact();
    }

    private static DiskSnapshot.Kind kind(VolumeSnapshot v) {
        String k = v.getMetadata().getLabels() == null ? null : v.getMetadata().getLabels().get(Labels.SNAPSHOT_KIND);
        try {
            return k == null ? DiskSnapshot.Kind.MANUAL : DiskSnapshot.Kind.valueOf(k);
        } catch (IllegalArgumentException e) {
            return DiskSnapshot.Kind.MANUAL;
        }
    }

    private static Instant takenAt(VolumeSnapshot v) {
        String at = v.getMetadata().getAnnotations() == null ? null : v.getMetadata().getAnnotations().get(Labels.TAKEN_AT);
        try {
            return at != null ? Instant.parse(at) : Instant.parse(v.getMetadata().getCreationTimestamp());
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    private static List<VolumeSnapshot> newestFirst(List<VolumeSnapshot> list) {
        return list.stream().sorted(Comparator.comparing(KubernetesVolumes::takenAt)
                .thenComparing(v -> v.getMetadata().getName()).reversed()).toList();
    }

    private static DiskSnapshot info(VolumeSnapshot v) {
        String name = v.getMetadata().getName();
        String disk = v.getMetadata().getLabels().get(Labels.DISK);
        String id = name.substring(name.lastIndexOf('.') + 1);
        return new DiskSnapshot(id, new DiskName(disk), takenAt(v), kind(v), v.ready(), v.failed());
    }

    /** @param mounting a reservation asked for the disk (else: a delete or restore, which waits for the server to end) */
    private static String busy(DiskName disk, ReservationId by, boolean mounting) {
        return "disk " + disk + " is mounted by server " + by + "; end that reservation first"
                + (mounting ? ", or reserve without --disk" : " (`/gpu cancel " + by + "`), then ask again");
    }
}
