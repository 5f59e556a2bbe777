package dev.gpudev.scheduler.port;

/**
 * Limits per user on disks and snapshots.
 *
 * @param maxDisks           named disks a user may have (the home is not counted)
 * @param maxTotalGib        their total size in GiB (the home is not counted)
 * @param maxDiskGib         size of one named disk in GiB
 * @param keepSnapshots      automatic snapshots kept per disk (the newest ready ones); older ones are deleted
 * @param maxManualSnapshots snapshots the owner took, per disk; never deleted but by the owner
 */
public record VolumeQuota(int maxDisks, long maxTotalGib, long maxDiskGib, int keepSnapshots, int maxManualSnapshots) {
    public static final VolumeQuota DEFAULTS = new VolumeQuota(3, 2048, 1024, 3, 5);

    public VolumeQuota {
        if (maxDisks < 0 || maxTotalGib < 0 || maxDiskGib < 1 || keepSnapshots < 1 || maxManualSnapshots < 0) {
            throw new IllegalArgumentException("volume quota: max-disks, max-total-gib and max-manual-snapshots must not"
                    + " be negative, max-disk-gib and keep-snapshots must be at least 1");
        }
    }

    /** Refuses a new disk of {@code sizeGib} for a user who has {@code disks} named disks of {@code totalGib}. */
    public void admit(int disks, long totalGib, long sizeGib) {
        if (sizeGib < 1 || sizeGib > maxDiskGib) {
            throw new VolumeRefusal("a disk is 1 to " + maxDiskGib + " GiB; " + sizeGib + " GiB is not possible");
        }
        if (disks >= maxDisks) {
            throw new VolumeRefusal("you have " + disks + " disks, the most a user may have; delete one first"
                    + " (`/gpu disk delete NAME`; its snapshots stay)");
        }
        if (totalGib + sizeGib > maxTotalGib) {
            throw new VolumeRefusal("your disks would total " + (totalGib + sizeGib) + " GiB, over the " + maxTotalGib
                    + " GiB per user; at most " + (maxTotalGib - totalGib) + " GiB more fits");
        }
    }
}
