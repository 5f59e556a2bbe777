package dev.gpudev.scheduler.port;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.ReservationId;

/**
 * Simulated disks for the sandbox and tests, with the rules of the Kubernetes implementation: one mount at a time,
 * quotas, a snapshot of the home and the mounted disk when a server ends, automatic snapshots kept {@code N} per disk.
 * A disk keeps "files" (path to text) so a scenario can write one, end the server and find it again. The simulated
 * cluster calls {@link #mount} when a server starts and {@link #unmount} when it ends.
 */
public final class InMemoryVolumes implements Volumes {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private final Clock clock;
    private final VolumeQuota quota;
    private final long homeGib;
    private final Map<Key, Stored> disks = new HashMap<>();
    private final Map<Key, List<Snap>> snapshots = new HashMap<>();
    private final Map<ReservationId, List<Key>> mounts = new HashMap<>();
    private long sequence;

    public InMemoryVolumes(Clock clock, VolumeQuota quota, long homeGib) {
        this.clock = clock;
        this.quota = quota;
        this.homeGib = homeGib;
    }

    private record Key(String owner, DiskName disk) {
        static Key of(GithubLogin owner, DiskName disk) {
            return new Key(owner.value().toLowerCase(Locale.ROOT), disk);
        }
    }

    private static final class Stored {
        final long sizeGib;
        SortedMap<String, String> files = new TreeMap<>();
        @Nullable ReservationId mountedBy;

        Stored(long sizeGib) {
            this.sizeGib = sizeGib;
        }
    }

    private record Snap(DiskSnapshot info, SortedMap<String, String> files) {
    }

    @Override
    public synchronized List<Disk> disks(GithubLogin owner) {
        String o = Key.of(owner, DiskName.HOME).owner();
        return disks.entrySet().stream().filter(e -> e.getKey().owner().equals(o))
                .sorted(Comparator.comparing((Map.Entry<Key, Stored> e) -> !e.getKey().disk().isHome())
                        .thenComparing(e -> e.getKey().disk().value()))
                .map(e -> new Disk(e.getKey().disk(), e.getValue().sizeGib, e.getValue().mountedBy, "sandbox"))
                .toList();
    }

    @Override
    public synchronized Disk create(GithubLogin owner, DiskName name, long sizeGib) {
        if (name.isHome()) {
            throw new VolumeRefusal("`home` is your persistent home, made on first use; choose another name");
        }
        Key key = Key.of(owner, name);
        if (disks.containsKey(key)) {
            throw new VolumeRefusal("you have a disk named " + name + " already");
        }
        List<Disk> named = disks(owner).stream().filter(d -> !d.name().isHome()).toList();
        quota.admit(named.size(), named.stream().mapToLong(Disk::sizeGib).sum(), sizeGib);
        disks.put(key, new Stored(sizeGib));
        return new Disk(name, sizeGib, null, "sandbox");
    }

    @Override
    public synchronized void delete(GithubLogin owner, DiskName name) {
        if (name.isHome()) {
            throw new VolumeRefusal("the home cannot be deleted here; ask an admin");
        }
        Stored d = require(owner, name);
        if (d.mountedBy != null) {
            throw busy(name, d.mountedBy, false);
        }
        disks.remove(Key.of(owner, name));
    }

    @Override
    public synchronized DiskSnapshot snapshot(GithubLogin owner, DiskName name) {
        Stored d = require(owner, name);
        long manual = snaps(owner, name).stream().filter(s -> s.info().kind() == DiskSnapshot.Kind.MANUAL).count();
        if (manual >= quota.maxManualSnapshots()) {
            throw new VolumeRefusal(name + " has " + manual + " snapshots you took, the most kept per disk;"
                    + " restore or delete one first");
        }
        return take(Key.of(owner, name), d, DiskSnapshot.Kind.MANUAL, "m-" + stamp());
    }

    @Override
    public synchronized List<DiskSnapshot> snapshots(GithubLogin owner, DiskName name) {
        return snaps(owner, name).stream().map(Snap::info)
                .sorted(Comparator.comparing(DiskSnapshot::takenAt).thenComparing(DiskSnapshot::id).reversed()).toList();
    }

    @Override
    public synchronized Disk restore(GithubLogin owner, DiskName name, @Nullable String snapshotId) {
        Key key = Key.of(owner, name);
        Snap from = snaps(owner, name).stream()
                .filter(s -> snapshotId == null ? s.info().ready() : s.info().id().equals(snapshotId))
                .max(Comparator.comparing((Snap s) -> s.info().takenAt()).thenComparing(s -> s.info().id()))
                .orElseThrow(() -> new VolumeRefusal(snapshotId == null ? name + " has no snapshot to restore"
                        : "no snapshot " + snapshotId + " of " + name + "; `/gpu disk snapshots " + name + "` lists them"));
        Stored d = disks.get(key);
        if (d != null && d.mountedBy != null) {
            throw busy(name, d.mountedBy, false);
        }
        if (d != null) {
            take(key, d, DiskSnapshot.Kind.BEFORE_RESTORE, "r-" + stamp());
        } else {
            d = new Stored(name.isHome() ? homeGib : quota.maxDiskGib());
            disks.put(key, d);
        }
        d.files = new TreeMap<>(from.files());
        return new Disk(name, d.sizeGib, null, "sandbox");
    }

    @Override
    public synchronized Optional<String> checkMount(GithubLogin owner, DiskName name) {
        Stored d = disks.get(Key.of(owner, name));
        if (d == null) {
            return Optional.of("you have no disk named " + name + "; `/gpu disk create " + name + " 100` makes one");
        }
        return d.mountedBy == null ? Optional.empty() : Optional.of(busy(name, d.mountedBy, true).getMessage());
    }

    /** A server starts: it mounts the home (made on first use) and the disk; refused when the disk is mounted elsewhere. */
    public synchronized void mount(ReservationId server, GithubLogin owner, @Nullable DiskName disk) {
        if (disk != null) {
            checkMount(owner, disk).ifPresent(why -> {
                throw new VolumeRefusal(why);
            });
        }
        Key home = Key.of(owner, DiskName.HOME);
        Stored h = disks.computeIfAbsent(home, k -> new Stored(homeGib));
        List<Key> keys = new ArrayList<>();
        if (h.mountedBy == null) {
            h.mountedBy = server;
            keys.add(home);
        }
        if (disk != null) {
            disks.get(Key.of(owner, disk)).mountedBy = server;
            keys.add(Key.of(owner, disk));
        }
        mounts.put(server, keys);
    }

    /** A server ended: what it had mounted is snapshotted and free again; nothing else changes. */
    public synchronized void unmount(ReservationId server) {
        for (Key key : mounts.getOrDefault(server, List.of())) {
            Stored d = disks.get(key);
            if (d != null && server.equals(d.mountedBy)) {
                take(key, d, DiskSnapshot.Kind.END, "end-" + server.value());
                d.mountedBy = null;
            }
        }
        mounts.remove(server);
    }

    /** What a user does inside the server: writes a file on a disk. */
    public synchronized void write(GithubLogin owner, DiskName disk, String path, String text) {
        require(owner, disk).files.put(path, text);
    }

    /** The disk's files as a server that mounts it would see them. */
    public synchronized Map<String, String> files(GithubLogin owner, DiskName disk) {
        return new LinkedHashMap<>(require(owner, disk).files);
    }

    /** Ids as the Kubernetes implementation names them ({@code end-h100-7f3a}, {@code m-20261205-081500}), unique per disk. */
    private DiskSnapshot take(Key key, Stored d, DiskSnapshot.Kind kind, String id) {
        String unique = snaps(key).stream().anyMatch(s -> s.info().id().equals(id)) ? id + "-" + (++sequence) : id;
        DiskSnapshot info = new DiskSnapshot(unique, key.disk(), clock.instant(), kind, true, false);
        List<Snap> list = snapshots.computeIfAbsent(key, k -> new ArrayList<>());
        list.add(new Snap(info, new TreeMap<>(d.files)));
        List<Snap> automatic = list.stream().filter(s -> s.info().kind().automatic())
                .sorted(Comparator.comparing((Snap s) -> s.info().takenAt()).thenComparing(s -> s.info().id()).reversed())
                .toList();
        automatic.stream().skip(quota.keepSnapshots()).forEach(list::remove);
        return info;
    }

    private List<Snap> snaps(GithubLogin owner, DiskName name) {
        return snaps(Key.of(owner, name));
    }

    private List<Snap> snaps(Key key) {
        return List.copyOf(snapshots.getOrDefault(key, List.of()));
    }

    private String stamp() {
        return STAMP.format(clock.instant());
    }

    private Stored require(GithubLogin owner, DiskName name) {
        Stored d = disks.get(Key.of(owner, name));
        if (d == null) {
            throw new VolumeRefusal("you have no disk named " + name + "; `/gpu disk list` shows yours");
        }
        return d;
    }

    /** @param mounting a reservation asked for the disk (else: a delete or restore, which waits for the server to end) */
    static VolumeRefusal busy(DiskName name, ReservationId by, boolean mounting) {
        return new VolumeRefusal("disk " + name + " is mounted by server " + by + "; end that reservation first"
                + (mounting ? ", or reserve without --disk" : " (`/gpu cancel " + by + "`), then ask again"));
    }
}
