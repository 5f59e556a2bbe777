package dev.gpudev.scheduler.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * One reservation, from request to history. Immutable: every change makes a new value with the same version,
 * and the store raises the version when it writes.
 *
 * @param duration   the requested time, extensions included
 * @param extendedBy the sum of granted extensions (bounded by policy)
 * @param updatedAt  when the state last changed: queued since, provisioning since, active since, ended at
 * @param endsAt     set when ACTIVE: the instant the server is released
 * @param detail     the latest human-readable progress or the reason it ended
 * @param delivery   what the owner was told (the message, reminders)
 * @param idle       where it stands with the idle policy (idle since, the open question, Keep)
 * @param version    the store's version of this record; 0 before the first write
 * @param booking    set when it was booked for a future window (see {@link Booking}); null for a request to start now
 */
public record Reservation(ReservationId id, UserId owner, String gpuType, int gpus, Duration duration, Duration extendedBy,
                          RequestOptions options, ReservationState state, Instant requestedAt, Instant updatedAt,
                          @Nullable Instant endsAt, List<NodeName> nodes, @Nullable EndReason endReason, String detail,
                          @Nullable ServerAccess access, Delivery delivery, IdleMark idle, long version,
                          @Nullable Booking booking) {
    public Reservation {
        nodes = List.copyOf(nodes);
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

    /** A reservation that is not a booking. */
    public Reservation(ReservationId id, UserId owner, String gpuType, int gpus, Duration duration, Duration extendedBy,
                       RequestOptions options, ReservationState state, Instant requestedAt, Instant updatedAt,
                       @Nullable Instant endsAt, List<NodeName> nodes, @Nullable EndReason endReason, String detail,
                       @Nullable ServerAccess access, Delivery delivery, IdleMark idle, long version) {
        this(id, owner, gpuType, gpus, duration, extendedBy, options, state, requestedAt, updatedAt, endsAt, nodes, endReason,
                detail, access, delivery, idle, version, null);
    }

    public static Reservation queued(ReservationId id, UserId owner, String gpuType, int gpus, Duration duration,
                                     RequestOptions options, Instant now) {
        return new Reservation(id, owner, gpuType, gpus, duration, Duration.ZERO, options, ReservationState.QUEUED,
                now, now, null, List.of(), null, "", null, Delivery.NONE, IdleMark.NONE, 0);
    }

    public Reservation provisioning(List<NodeName> on, Instant now) {
        return edit(d -> {
            d.state = ReservationState.PROVISIONING;
            d.updatedAt = now;
            d.endsAt = null;
            d.nodes = on;
            d.endReason = null;
            d.detail = "starting";
            d.access = null;
        });
    }

    /** Becomes ACTIVE: the clock of the reservation starts now, not at the request. */
    public Reservation active(ServerAccess server, Instant now) {
        return edit(d -> {
            d.state = ReservationState.ACTIVE;
            d.updatedAt = now;
            d.endsAt = now.plus(duration);
            d.endReason = null;
            d.detail = "ready";
            d.access = server;
        });
    }

    /** Ends; the Jupyter URL is dropped with the server, so its token is not kept in the history. */
    public Reservation ended(EndReason reason, String why, Instant now) {
        return edit(d -> {
            d.state = ReservationState.ENDED;
            d.updatedAt = now;
            d.endReason = reason;
            d.detail = why;
            d.access = access == null ? null : access.withoutJupyter();
        });
    }

    public Reservation extended(Duration by) {
        return edit(d -> {
            d.duration = duration.plus(by);
            d.extendedBy = extendedBy.plus(by);
            d.endsAt = endsAt == null ? null : endsAt.plus(by);
            d.delivery = delivery.remindersReset();
        });
    }

    /** Collaborators or Jupyter changed on a live reservation ({@code /gpu edit}); its shape never changes. */
    public Reservation withOptions(RequestOptions changed) {
        return edit(d -> d.options = changed);
    }

    /** How the running server is reached now: Jupyter turned on or off by {@code /gpu edit}. */
    public Reservation withAccess(ServerAccess now) {
        return edit(d -> d.access = now);
    }

    public Reservation withDetail(String text) {
        return edit(d -> d.detail = text);
    }

    public Reservation withDelivery(Delivery told) {
        return edit(d -> d.delivery = told);
    }

    public Reservation withReminderSent(Duration lead) {
        return withDelivery(delivery.withReminderSent(lead));
    }

    public Reservation withChatRef(String ref) {
        return withDelivery(delivery.withChatRef(ref));
    }

    public Reservation withShown(ReservationState shown) {
        return withDelivery(delivery.withShown(shown));
    }

    public Reservation withReminded(Duration lead) {
        return withDelivery(delivery.withReminded(lead));
    }

    public Reservation withBooking(Booking b) {
        return edit(d -> d.booking = b);
    }

    public boolean booked() {
        return booking != null;
    }

    public Reservation withIdle(IdleMark mark) {
        return edit(d -> d.idle = mark);
    }

    public Reservation withVersion(long v) {
        return edit(d -> d.version = v);
    }

    public List<Duration> remindersSent() {
        return delivery.remindersSent();
    }

    public @Nullable String chatRef() {
        return delivery.chatRef();
    }

    public @Nullable ReservationState shown() {
        return delivery.shown();
    }

    public @Nullable Duration reminded() {
        return delivery.reminded();
    }

    /** The latest reminder issued: the smallest lead time marked sent. */
    public Optional<Duration> latestReminder() {
        return delivery.latestReminder();
    }

    public boolean live() {
        return state.live();
    }

    /** GPUs this reservation holds on one of its nodes. */
    public int gpusPerNode() {
        return gpus / Math.max(1, nodes.size());
    }

    /** The one copy: what changes is set on a draft of this reservation; the rest is carried over. */
    private Reservation edit(Consumer<Draft> change) {
        Draft d = new Draft(this);
        change.accept(d);
        return new Reservation(id, owner, gpuType, gpus, d.duration, d.extendedBy, d.options, d.state, requestedAt, d.updatedAt,
                d.endsAt, d.nodes, d.endReason, d.detail, d.access, d.delivery, d.idle, d.version, d.booking);
    }

    /** The fields a change may touch; identity, owner, shape and request time never change. */
    private static final class Draft {
        RequestOptions options;
        Duration duration;
        Duration extendedBy;
        ReservationState state;
        Instant updatedAt;
        @Nullable Instant endsAt;
        List<NodeName> nodes;
        @Nullable EndReason endReason;
        String detail;
        @Nullable ServerAccess access;
        Delivery delivery;
        IdleMark idle;
        long version;
        @Nullable Booking booking;

        Draft(Reservation r) {
            options = r.options;
            duration = r.duration;
            extendedBy = r.extendedBy;
            state = r.state;
            updatedAt = r.updatedAt;
            endsAt = r.endsAt;
            nodes = r.nodes;
            endReason = r.endReason;
            detail = r.detail;
            access = r.access;
            delivery = r.delivery;
            idle = r.idle;
            version = r.version;
            booking = r.booking;
        }
    }
}
