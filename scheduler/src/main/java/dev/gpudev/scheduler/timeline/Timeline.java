package dev.gpudev.scheduler.timeline;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.delivery.Reminders;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.policy.Limits;

/** Expiry, timeouts and extensions as functions of a reservation and the current instant; reminders: {@link Reminders}. */
public record Timeline(Limits limits) {

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
            case ACTIVE -> new Reminders(limits).next(r);
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
