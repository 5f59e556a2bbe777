package dev.gpudev.scheduler.port;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.GithubLogin;

/**
 * Users' disks and their snapshots: the persistent home ({@link DiskName#HOME}, created on first use) and named disks.
 * A server mounts the home and at most one named disk ({@link ServerSpec#disk()}); the cluster snapshots both when the
 * server ends. Nothing here deletes data the owner did not ask to delete, except automatic snapshots beyond
 * {@link VolumeQuota#keepSnapshots()} per disk.
 *
 * @throws VolumeRefusal from any method, when the request cannot be done as asked (unknown disk, quota, in use)
 */
public interface Volumes {
    /** The owner's disks, the home first if it exists, then the named disks by name. */
    List<Disk> disks(GithubLogin owner);

    /** A new empty named disk. Refused: a name in use, {@code home}, a size or count over the quota. */
    Disk create(GithubLogin owner, DiskName name, long sizeGib);

    /** Deletes a named disk; its snapshots stay (restore brings it back). Refused: unknown, the home, mounted. */
    void delete(GithubLogin owner, DiskName name);

    /** Takes a snapshot the owner asked for. Refused: unknown disk, too many manual snapshots of it. */
    DiskSnapshot snapshot(GithubLogin owner, DiskName name);

    /** The disk's snapshots, newest first (also those of a deleted disk). */
    List<DiskSnapshot> snapshots(GithubLogin owner, DiskName name);

    /**
     * Replaces the disk's contents with a snapshot (the newest ready one when {@code snapshotId} is null), or brings
     * a deleted disk back. The replaced contents are snapshotted first. Refused: mounted, no such snapshot, a failed one.
     */
    Disk restore(GithubLogin owner, DiskName name, @Nullable String snapshotId);

    /** Whether a new server may mount the disk: the refusal for the user (unknown, mounted elsewhere), or empty. */
    Optional<String> checkMount(GithubLogin owner, DiskName name);
}
