package dev.gpudev.scheduler.service;

import dev.gpudev.scheduler.model.Reservation;

/** The answer to cancel, extend and other actions on one reservation. */
public sealed interface ActionOutcome {
    record Done(Reservation reservation, String message) implements ActionOutcome {
    }

    record Refused(String reason) implements ActionOutcome {
    }
}
