package dev.gpudev.scheduler.policy;

import dev.gpudev.scheduler.model.ReservationRequest;

/** The outcome of validating a reserve command. */
public sealed interface Validation {
    record Valid(ReservationRequest request) implements Validation {
    }

    /** Refused with what was wrong and what would work. */
    record Invalid(String reason) implements Validation {
    }
}
