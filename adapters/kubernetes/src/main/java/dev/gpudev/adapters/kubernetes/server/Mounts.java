package dev.gpudev.adapters.kubernetes.server;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.DiskName;

/**
 * The claims a server mounts: the owner's home at {@code /home/<ssh-user>} and a named disk at
 * {@code /disks/<name>}; null: none.
 */
public record Mounts(@Nullable String home, @Nullable String disk, @Nullable DiskName diskName) {
    public static final Mounts NONE = new Mounts(null, null, null);

    public Mounts {
        if ((disk == null) != (diskName == null)) {
            throw new IllegalArgumentException("a disk's claim and its name go together");
        }
    }
}
