package dev.gpudev.scheduler.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * One reservation, from request to history. Immutable: every change makes a new value with the same version,
 * and the store raises the version when it writes.
 *
 * @param duration      the requested time, extensions included
 * @param extendedBy    the sum of granted extensions (bounded by policy)
 * @param updatedAt     when the state last changed: queued since, provisioning since, active since, ended at
 * @param endsAt        set when ACTIVE: the instant the server is released
 * @param detail        the latest human-readable progress or the reason it ended
 * @param remindersSent lead times of reminders due and issued (marked before they are sent), so the timer issues none twice
 * @param chatRef       the front-end's reference to the message it updates in place (channel and timestamp)
 * @param shown         the state the owner's message showed when the front-end last confirmed a delivery that
 *                      mattered (the first message, the Ready message); null: nothing confirmed yet
 * @param reminded      the lead time of the latest reminder the front-end confirmed delivering (the smallest lead);
 *                      null: none since the start or the last extension
 * @param version       the store's version of this record; 0 before the first write
 */
public record Reservation(ReservationId id, UserId owner, String gpuType, int gpus, Duration duration, Duration extendedBy,
                          RequestOptions options, ReservationState state, Instant requestedAt, Instant updatedAt,
                          @Nullable Instant endsAt, List<NodeName> nodes, @Nullable EndReason endReason, String detail,
                          @Nullable ServerAccess access, List<Duration> remindersSent, @Nullable String chatRef,
                          @Nullable ReservationState shown, @Nullable Duration reminded, long version) {
    public Reservation {
        nodes = List.copyOf(nodes);
        remindersSent = List.copyOf(remindersSent);
        if (gpus < 1) {
            throw new IllegalArgumentException("a reservation needs at least one GPU");
        }
        if ((state == ReservationState.ENDED) != (endReason != null)) {
            throw new IllegalArgumentException("an end reason goes with the ENDED state and only with it");
        }
        if (state == ReservationState.ACTIVE && endsAt == null) {
            throw new IllegalArgumentException("an active reservation needs an end time");
        }
        if (state.holdsGpus() && nodes.isEmpty()) {
            throw new IllegalArgumentException(state + " reservation " + id + " must name its nodes");
        }
    }

    public static Reservation queued(ReservationId id, UserId owner, String gpuType, int gpus, Duration duration,
                                     RequestOptions options, Instant now) {
        return new Reservation(id, owner, gpuType, gpus, duration, Duration.ZERO, options, ReservationState.QUEUED,
                now, now, null, List.of(), null, "", null, List.of(), null, null, null, 0);
    }

    public Reservation provisioning(List<NodeName> on, Instant now) {
        return new Reservation(id, owner, gpuType, gpus, duration, extendedBy, options, ReservationState.PROVISIONING,
                requestedAt, now, null, on, null, "starting", null, remindersSent, chatRef, shown, reminded, version);
    }

    /** Becomes ACTIVE: the clock of the reservation starts now, not at the request. */
    public Reservation active(ServerAccess server, Instant now) {
        return new Reservation(id, owner, gpuType, gpus, duration, extendedBy, options, ReservationState.ACTIVE,
                requestedAt, now, now.plus(duration), nodes, null, "ready", server, remindersSent, chatRef, shown, reminded, version);
    }

    /** Ends; the Jupyter URL is dropped with the server, so its token is not kept in the history. */
    public Reservation ended(EndReason reason, String why, Instant now) {
        return new Reservation(id, owner, gpuType, gpus, duration, extendedBy, options, ReservationState.ENDED,
                requestedAt, now, endsAt, nodes, reason, why, access == null ? null : access.withoutJupyter(),
                remindersSent, chatRef, shown, reminded, version);
    }

    public Reservation extended(Duration by) {
        return new Reservation(id, owner, gpuType, gpus, duration.plus(by), extendedBy.plus(by), options, state,
                requestedAt, updatedAt, endsAt == null ? null : endsAt.plus(by), nodes, endReason, detail, access,
                List.of(), chatRef, shown, null, version);
    }

    public Reservation withDetail(String text) {
        return new Reservation(id, owner, gpuType, gpus, duration, extendedBy, options, state, requestedAt, updatedAt,
                endsAt, nodes, endReason, text, access, remindersSent, chatRef, shown, reminded, version);
    }

    public Reservation withReminderSent(Duration lead) {
        List<Duration> sent = new ArrayList<>(remindersSent);
        sent.add(lead);
        return new Reservation(id, owner, gpuType, gpus, duration, extendedBy, options, state, requestedAt, updatedAt,
                endsAt, nodes, endReason, detail, access, sent, chatRef, shown, reminded, version);
    }

    public Reservation withChatRef(String ref) {
        return new Reservation(id, owner, gpuType, gpus, duration, extendedBy, options, state, requestedAt, updatedAt,
                endsAt, nodes, endReason, detail, access, remindersSent, ref, shown, reminded, version);
    }

    public Reservation withShown(ReservationState state) {
        return new Reservation(id, owner, gpuType, gpus, duration, extendedBy, options, this.state, requestedAt, updatedAt,
                endsAt, nodes, endReason, detail, access, remindersSent, chatRef, state, reminded, version);
    }

    public Reservation withReminded(Duration lead) {
        return new Reservation(id, owner, gpuType, gpus, duration, extendedBy, options, state, requestedAt, updatedAt,
                endsAt, nodes, endReason, detail, access, remindersSent, chatRef, shown, lead, version);
    }

    /** The latest reminder issued: the smallest lead time marked sent. */
    public Optional<Duration> latestReminder() {
        return remindersSent.stream().min(Comparator.naturalOrder());
    }

    public Reservation withVersion(long v) {
        return new Reservation(id, owner, gpuType, gpus, duration, extendedBy, options, state, requestedAt, updatedAt,
                endsAt, nodes, endReason, detail, access, remindersSent, chatRef, shown, reminded, v);
    }

    public boolean live() {
        return state.live();
    }

    /** GPUs this reservation holds on one of its nodes. */
    public int gpusPerNode() {
        return gpus / Math.max(1, nodes.size());
    }
}
