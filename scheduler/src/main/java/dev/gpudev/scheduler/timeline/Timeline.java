package dev.gpudev.scheduler.timeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.policy.Limits;

/** Reminders, expiry and timeouts as functions of a reservation and the current instant. */
public record Timeline(Limits limits) {

    /** The largest reminder lead time that is due and not yet sent, if any. */
    public Optional<Duration> dueReminder(Reservation r, Instant now) {
        if (r.endsAt() == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, r.endsAt());
        return limits.reminders().stream()
                .filter(lead -> left.compareTo(lead) <= 0 && !r.remindersSent().contains(lead))
                .filter(lead -> lead.compareTo(r.duration()) < 0)
                .min(Comparator.naturalOrder());
    }

    /** The reminder for the latest lead time marked in {@code r}: the one the timer issues, and the one a repair issues again. */
    public Notice.Reminder reminder(Reservation r, Instant now) {
        Duration lead = r.latestReminder().orElseThrow();
        return new Notice.Reminder(r, Duration.between(now, Objects.requireNonNull(r.endsAt())), lead.equals(limits.reminders().getLast()));
    }

    /**
     * What the owner of a live reservation should have been shown and the front-end has not confirmed: the Ready
     * message of an ACTIVE reservation, and its latest reminder while time is left. Older reminders are superseded.
     */
    public List<Notice> undelivered(Reservation r, Instant now) {
        if (r.state() != ReservationState.ACTIVE) {
            return List.of();
        }
        List<Notice> owed = new ArrayList<>(2);
        if (r.shown() == null || r.shown().compareTo(ReservationState.ACTIVE) < 0) {
            owed.add(new Notice.Ready(r));
        }
        Optional<Duration> latest = r.latestReminder();
        if (latest.isPresent() && now.isBefore(r.endsAt()) && (r.reminded() == null || r.reminded().compareTo(latest.get()) > 0)) {
            owed.add(reminder(r, now));
        }
        return owed;
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
            case ACTIVE -> {
                Instant end = Objects.requireNonNull(r.endsAt());
                Instant first = end;
                for (Duration lead : limits.reminders()) {
                    if (lead.compareTo(r.duration()) < 0 && !r.remindersSent().contains(lead) && end.minus(lead).isBefore(first)) {
                        first = end.minus(lead);
                    }
                }
                yield first;
            }
            case QUEUED -> r.requestedAt().plus(limits.queueTimeout());
            case PROVISIONING -> r.updatedAt().plus(limits.provisionTimeout());
            case ENDED -> null;
        };
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
