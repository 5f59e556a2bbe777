package dev.gpudev.scheduler.port;

/** A disk or snapshot request that cannot be done as asked; the message says why and what would work, for the user. */
public final class VolumeRefusal extends RuntimeException {
    public VolumeRefusal(String message) {
        super(message);
    }
}
