package dev.gpudev.adapters.kubernetes.storage;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.jspecify.annotations.Nullable;

import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.adapters.kubernetes.server.Labels;
import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.port.DiskSnapshot;

/**
 * The claims and snapshots of users' disks, built by pure functions. Names use dots between login, disk and
 * generation (logins and disk names have no dots), so no two disks' names can collide.
 */
public final class DiskObjects {
    private DiskObjects() {
    }

    /** Generation 0 of the home keeps the name homes had before disks existed, so those homes stay the users'. */
    public static String claimName(GithubLogin owner, DiskName disk, int generation) {
        String login = owner.value().toLowerCase(Locale.ROOT);
        if (disk.isHome()) {
            return generation == 0 ? Labels.homeClaimName(owner) : "gpu-dev-home-" + login + "." + generation;
        }
        return "gpu-dev-disk-" + login + "." + disk.value() + "." + generation;
    }

    public static String snapshotName(GithubLogin owner, DiskName disk, String id) {
        return "gpu-dev-snap-" + owner.value().toLowerCase(Locale.ROOT) + "." + disk.value() + "." + id;
    }

    /** Selects every claim or snapshot of one disk. */
    public static Map<String, String> of(GithubLogin owner, DiskName disk) {
        return Map.of(Labels.MANAGED_BY, Labels.BOT, Labels.OWNER, owner.value().toLowerCase(Locale.ROOT), Labels.DISK, disk.value());
    }

    /** Selects every claim or snapshot of one user. */
    public static Map<String, String> of(GithubLogin owner) {
        return Map.of(Labels.MANAGED_BY, Labels.BOT, Labels.OWNER, owner.value().toLowerCase(Locale.ROOT));
    }

    /**
     * A disk's claim; with {@code fromSnapshot} its contents come from that snapshot. No reservation label: a disk
     * outlives every server, and release deletes by that label.
     */
    public static PersistentVolumeClaim claim(GithubLogin owner, DiskName disk, int generation, String size,
                                              KubernetesSettings s, @Nullable String fromSnapshot) {
        PersistentVolumeClaimBuilder b = new PersistentVolumeClaimBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(claimName(owner, disk, generation)).withNamespace(s.namespace())
                        .addToLabels(of(owner, disk)).addToLabels(Labels.GENERATION, Integer.toString(generation))
                        .build())
                .withNewSpec().withStorageClassName(s.homeStorageClass()).withAccessModes(s.homeAccessMode())
                .withNewResources().addToRequests("storage", new Quantity(size)).endResources()
                .endSpec();
        if (disk.isHome()) {
            b.editMetadata().addToLabels(Labels.HOME_OF, owner.value().toLowerCase(Locale.ROOT)).endMetadata();
        }
        if (fromSnapshot != null) {
            b.editSpec().withNewDataSource().withApiGroup("snapshot.storage.k8s.io").withKind("VolumeSnapshot")
                    .withName(fromSnapshot).endDataSource().endSpec();
        }
        return b.build();
    }

    public static VolumeSnapshot snapshot(GithubLogin owner, DiskName disk, String id, String claim, DiskSnapshot.Kind kind,
                                          Instant takenAt, KubernetesSettings s) {
        VolumeSnapshot v = new VolumeSnapshot();
        v.setMetadata(new ObjectMetaBuilder().withName(snapshotName(owner, disk, id)).withNamespace(s.namespace())
                .addToLabels(of(owner, disk)).addToLabels(Labels.SNAPSHOT_KIND, kind.name())
                .addToAnnotations(Labels.TAKEN_AT, takenAt.toString())
                .build());
        v.setSpec(new VolumeSnapshot.Spec(s.storage().snapshotClass(), new VolumeSnapshot.Source(claim)));
        return v;
    }
}
