package dev.gpudev.scheduler.model;

/** {@code QUEUED -> PROVISIONING -> ACTIVE -> ENDED}; a reservation may also end from any earlier state. */
public enum ReservationState {
    QUEUED, PROVISIONING, ACTIVE, ENDED;

    public boolean live() {
        return this != ENDED;
    }

    /** Whether GPUs on nodes are held in this state. */
    public boolean holdsGpus() {
        return this == PROVISIONING || this == ACTIVE;
    }
}
