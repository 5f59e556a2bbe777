package dev.gpudev.scheduler.app;

import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;

/** The answer to a reserve request. */
public sealed interface ReserveOutcome {
    /** Persisted, and the owner was told {@code first} (queued with position, or starting). */
    record Accepted(Reservation reservation, Notice first) implements ReserveOutcome {
    }

    /** Nothing was stored: {@code reason} says what was wrong and what would work. */
    record Refused(String reason) implements ReserveOutcome {
    }

    /** The same trigger was delivered twice (a Slack retry, a double click); the first delivery counts. */
    record Duplicate() implements ReserveOutcome {
    }
}
