package dev.gpudev.scheduler.timeline;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.delivery.Reminders;
import dev.gpudev.scheduler.model.Booking;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.policy.BookingLimits;
import dev.gpudev.scheduler.policy.Limits;

/** Expiry, timeouts and extensions as functions of a reservation and the current instant; reminders: {@link Reminders}. */
public record Timeline(Limits limits, BookingLimits bookings) {
    public Timeline(Limits limits) {
        this(limits, BookingLimits.defaults());
    }

    /** The next instant at which a tick has work: a reminder, an expiry or a timeout. A plain loop: it runs on every change. */
    public Optional<Instant> nextWakeup(Collection<Reservation> live) {
        @Nullable Instant next = null;
        for (Reservation r : live) {
            @Nullable Instant at = wakeup(r);
            if (at != null && (next == null || at.isBefore(next))) {
                next = at;
            }
        }
        return Optional.ofNullable(next);
    }

    private @Nullable Instant wakeup(Reservation r) {
        return switch (r.state()) {
            case ACTIVE -> earliest(new Reminders(limits).next(r), unusedAt(r));
            case QUEUED -> r.booking() == null ? r.requestedAt().plus(limits.queueTimeout()) : bookingWakeup(r);
            case PROVISIONING -> r.updatedAt().plus(limits.provisionTimeout());
            case ENDED -> null;
        };
    }

    /** A queued booking's next moment: its reminder, its start, the end of its window (it expires if it cannot start). */
    private @Nullable Instant bookingWakeup(Reservation r) {
        Booking b = Objects.requireNonNull(r.booking());
        return !b.reminded() ? b.startsAt().minus(bookings.reminder()) : !b.due() ? b.startsAt() : windowEnd(r);
    }

    /** When a started booking nobody used is released; null when it is no booking or was used. */
    public @Nullable Instant unusedAt(Reservation r) {
        Booking b = r.booking();
        return b == null || b.used() || r.state() != ReservationState.ACTIVE ? null : r.updatedAt().plus(bookings.unusedGrace());
    }

    /** A booking that has not started by the end of its window expires. */
    public static Instant windowEnd(Reservation r) {
        return Objects.requireNonNull(r.booking()).startsAt().plus(r.duration());
    }

    private static @Nullable Instant earliest(@Nullable Instant a, @Nullable Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    /** Why an extension of {@code r} by {@code by} breaks the limits, if it does. */
    public Optional<String> extensionRefusal(Reservation r, Duration by) {
        if (by.isNegative() || by.isZero()) {
            return Optional.of("an extension must be longer than zero");
        }
        if (by.compareTo(limits.maxExtension()) > 0) {
            return Optional.of("one extension is at most " + Durations.format(limits.maxExtension()));
        }
        if (r.duration().plus(by).compareTo(limits.maxTotal()) > 0) {
            return Optional.of("a reservation lasts at most " + Durations.format(limits.maxTotal()) + " in all; "
                    + Durations.format(limits.maxTotal().minus(r.duration())) + " are left to extend");
        }
        if (!r.live()) {
            return Optional.of("it has already ended");
        }
        return Optional.empty();
    }
}
