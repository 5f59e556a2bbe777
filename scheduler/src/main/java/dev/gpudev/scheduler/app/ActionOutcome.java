package dev.gpudev.scheduler.app;

import dev.gpudev.scheduler.model.Reservation;

/** The answer to cancel, extend and the other actions: what to tell the actor. */
public sealed interface ActionOutcome {
    String message();

    record Done(Reservation reservation, String message) implements ActionOutcome {
    }

    /** Done, changing no reservation (an admin's drain). */
    record Changed(String message) implements ActionOutcome {
    }

    record Refused(String reason) implements ActionOutcome {
        @Override
        public String message() {
            return reason;
        }
    }
}
