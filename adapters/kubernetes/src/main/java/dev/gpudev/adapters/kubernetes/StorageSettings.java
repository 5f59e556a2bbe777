package dev.gpudev.adapters.kubernetes;

import dev.gpudev.scheduler.port.VolumeQuota;

/**
 * Named disks, snapshots and {@code /shared} folders ({@code cluster.kubernetes.storage.*}, docs/storage.md). Disks use
 * the home's StorageClass and access mode.
 *
 * @param snapshotClass the VolumeSnapshotClass of every snapshot (infra and the chart create {@code gpu-dev-snapshots})
 * @param quota         disks and snapshots per user
 * @param userFolders   mount {@code users/<login>} of the {@code /shared} file system at {@code /shared/users/<login>}
 *                      too, so the kubelet creates the user's folder on first use
 * @param teamFolder    a folder of {@code /shared} every server also sees at {@code /shared/team}; empty: none
 */
public record StorageSettings(String snapshotClass, VolumeQuota quota, boolean userFolders, String teamFolder) {
    public static final StorageSettings DEFAULTS = new StorageSettings("gpu-dev-snapshots", VolumeQuota.DEFAULTS, true, "");

    public StorageSettings {
        if (!snapshotClass.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
            throw new IllegalArgumentException("cluster.kubernetes.storage.snapshot-class is not a resource name: " + snapshotClass);
        }
        if (!teamFolder.isEmpty() && !teamFolder.matches("[A-Za-z0-9._-]{1,64}") || teamFolder.startsWith(".")) {
            throw new IllegalArgumentException("cluster.kubernetes.storage.team-folder must be one folder name"
                    + " (letters, digits, . _ -, not starting with a dot): " + teamFolder);
        }
    }
}
