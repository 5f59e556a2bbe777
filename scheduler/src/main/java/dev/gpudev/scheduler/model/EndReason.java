package dev.gpudev.scheduler.model;

/**
 * Why a reservation ended. {@code RECLAIMED_IDLE}: released by the idle policy after its question went unanswered while
 * others waited. {@code UNUSED}: a booking nobody connected to within its grace period.
 */
public enum EndReason {
    EXPIRED, CANCELLED, FAILED, REJECTED, RECLAIMED_IDLE, UNUSED
}
