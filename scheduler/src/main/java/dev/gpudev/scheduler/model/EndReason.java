package dev.gpudev.scheduler.model;

/** Why a reservation ended. */
public enum EndReason {
    EXPIRED, CANCELLED, FAILED, REJECTED
}
