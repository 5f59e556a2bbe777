package dev.gpudev.scheduler.port;

import java.time.Instant;

import dev.gpudev.scheduler.model.DiskName;

/**
 * A point-in-time copy of a disk, from which the disk can be restored.
 *
 * @param id     unique among the owner's snapshots; what {@code restore NAME SNAPSHOT} names
 * @param ready  the copy is complete (a restore from a snapshot that is not ready waits for it)
 * @param failed the storage system could not take it; it is never used for a restore
 */
public record DiskSnapshot(String id, DiskName disk, Instant takenAt, Kind kind, boolean ready, boolean failed) {
    /** Why it was taken. Only the automatic kinds are deleted by retention; the owner deletes the others. */
    public enum Kind {
        /** the owner asked for it */
        MANUAL,
        /** at the end of a reservation that had the disk mounted */
        END,
        /** to move the disk to the zone of a server placed elsewhere */
        MOVE,
        /** of the contents a restore replaced */
        BEFORE_RESTORE;

        public boolean automatic() {
            return this != MANUAL;
        }
    }
}
