package dev.gpudev.scheduler.port;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.ReservationId;

/**
 * One of a user's disks as it stands.
 *
 * @param sizeGib   provisioned size in GiB
 * @param mountedBy the reservation whose server has it mounted; a disk is mounted by one server at a time
 * @param zone      where the disk's data lives now (an availability zone); empty before its first use
 */
public record Disk(DiskName name, long sizeGib, @Nullable ReservationId mountedBy, String zone) {
    public Disk {
        if (sizeGib <= 0) {
            throw new IllegalArgumentException("a disk has a positive size");
        }
    }

    public Optional<ReservationId> mounted() {
        return Optional.ofNullable(mountedBy);
    }
}
