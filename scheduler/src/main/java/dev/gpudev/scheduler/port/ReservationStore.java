package dev.gpudev.scheduler.port;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.model.UserLink;

/**
 * Durable reservations (kept as history), user links, idempotency keys and drained nodes. Every write is conditional:
 * {@link #create} fails if the id exists, {@link #update} fails unless the stored version equals the given one.
 * Implementations raise {@link StoreConflictException} for a lost race and {@link StoreUnavailableException}
 * when the backing service keeps failing after its retries.
 */
public interface ReservationStore {
    /** Writes a new reservation; returns it with version 1. */
    Reservation create(Reservation reservation);

    /** Writes a change made to {@code reservation} as read at its version; returns it with the version raised by one. */
    Reservation update(Reservation reservation);

    Optional<Reservation> find(ReservationId id);

    /** Queued, provisioning and active reservations. */
    List<Reservation> live();

    /** A user's reservations, newest request first (equal request times: higher id first), at most {@code limit}. */
    List<Reservation> byOwner(UserId owner, int limit);

    /** Reservations whose id starts with {@code prefix}, live or not, in id order, at most {@code limit}. */
    List<Reservation> byIdPrefix(String prefix, int limit);

    /** One owner's reservations whose id starts with {@code prefix}, live or not, at most {@code limit}; nobody else's are read. */
    List<Reservation> byOwnerIdPrefix(UserId owner, String prefix, int limit);

    /**
     * Records {@code key -> value} once, as a conditional write: empty the first time; for a duplicate delivery of the
     * same trigger, the value the first delivery recorded (which tells the caller whether that one got as far as its write).
     */
    Optional<String> claim(String key, String value);

    /** Records {@code key} once: true the first time, false for a duplicate delivery of the same trigger. */
    default boolean claimOnce(String key) {
        return claim(key, "").isEmpty();
    }

    Optional<UserLink> link(UserId user);

    void saveLink(UserLink link);

    /** The nodes an admin drained (nothing new starts there); empty when none. */
    Set<NodeName> drained();

    /** Replaces the drained nodes; last writer wins (one replica schedules at a time). */
    void saveDrained(Set<NodeName> nodes);
}
