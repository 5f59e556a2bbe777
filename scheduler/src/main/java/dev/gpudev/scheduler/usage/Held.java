package dev.gpudev.scheduler.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;

/**
 * When a reservation held its GPUs as ACTIVE: from the moment it became ACTIVE to its end (ENDED; at most its planned
 * end) or {@code now} (still ACTIVE). An ended reservation keeps its last planned end and its duration (extensions added to both), so it
 * became ACTIVE at {@code endsAt - duration}; one that never became ACTIVE has no planned end.
 */
public record Held(Instant from, Instant to) {
    public static Optional<Held> of(Reservation r, Instant now) {
        if (r.endsAt() == null || !(r.state() == ReservationState.ACTIVE || r.state() == ReservationState.ENDED)) {
            return Optional.empty();
        }
        Instant from = r.state() == ReservationState.ACTIVE ? r.updatedAt() : r.endsAt().minus(r.duration());
        // An expiry is noticed by the next tick, a little after the planned end: what was reserved ends at the planned end.
        Instant to = r.state() == ReservationState.ACTIVE ? now : r.updatedAt().isBefore(r.endsAt()) ? r.updatedAt() : r.endsAt();
        return to.isAfter(from) ? Optional.of(new Held(from, to)) : Optional.empty();
    }

    /** The part within {@code [start, end)}, if any. */
    public Optional<Held> within(Instant start, Instant end) {
        Instant a = from.isAfter(start) ? from : start;
        Instant b = to.isBefore(end) ? to : end;
        return b.isAfter(a) ? Optional.of(new Held(a, b)) : Optional.empty();
    }

    public double minutes() {
        return Duration.between(from, to).toMillis() / 60_000.0;
    }
}
