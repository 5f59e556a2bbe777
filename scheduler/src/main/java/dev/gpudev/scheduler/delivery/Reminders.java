package dev.gpudev.scheduler.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.policy.Limits;

/** When the owner of an active reservation is reminded of its end, and what the reminder says. */
public record Reminders(Limits limits) {

    /** The largest reminder lead time that is due and not yet sent, if any. */
    public Optional<Duration> due(Reservation r, Instant now) {
        if (r.endsAt() == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, r.endsAt());
        return limits.reminders().stream()
                .filter(lead -> left.compareTo(lead) <= 0 && !r.remindersSent().contains(lead))
                .filter(lead -> lead.compareTo(r.duration()) < 0)
                .min(Comparator.naturalOrder());
    }

    /**
     * {@code r} with the due reminder marked sent (and every longer lead a late tick skipped, so none is sent late),
     * or empty when none is due. Marked before it is issued, so the timer issues none twice.
     */
    public Optional<Reservation> markDue(Reservation r, Instant now) {
        return due(r, now).map(lead -> {
            Reservation marked = r;
            for (Duration d : limits.reminders()) {
                if (d.compareTo(lead) >= 0 && !marked.remindersSent().contains(d)) {
                    marked = marked.withReminderSent(d);
                }
            }
            return marked;
        });
    }

    /** The reminder for the latest lead time marked in {@code r}: the one the timer issues, and the one a repair issues again. */
    public Notice.Reminder reminder(Reservation r, Instant now) {
        Duration lead = r.latestReminder().orElseThrow();
        return new Notice.Reminder(r, Duration.between(now, Objects.requireNonNull(r.endsAt())), lead.equals(limits.reminders().getLast()));
    }

    /** When the next reminder of an active reservation is due; its end when none is left. */
    public Instant next(Reservation r) {
        Instant end = Objects.requireNonNull(r.endsAt());
        Instant first = end;
        for (Duration lead : limits.reminders()) {
            if (lead.compareTo(r.duration()) < 0 && !r.remindersSent().contains(lead) && end.minus(lead).isBefore(first)) {
                first = end.minus(lead);
            }
        }
        return first;
    }
}
