package dev.gpudev.scheduler.port;

/** A conditional write lost a race: the record changed (or exists) since it was read. Re-read and decide again. */
public class StoreConflictException extends RuntimeException {
    public StoreConflictException(String message) {
        super(message);
    }
}
