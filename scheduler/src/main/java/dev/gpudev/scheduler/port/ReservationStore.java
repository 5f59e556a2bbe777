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
 *
 * <p>Fencing (docs/storage.md): one ledger item holds the leadership term. A leader takes a new term ({@link #lead})
 * before it reads; a placement is preceded by {@link #book}, a write on the ledger that only the current term may
 * make; a reservation write carries its writer's term and is refused if the item holds a newer one. A refused term
 * is a {@link StoreFencedException}.
 */
public interface ReservationStore {
    /** Writes a new reservation for leadership term {@code term}; returns it with version 1. */
    Reservation create(Reservation reservation, long term);

    /**
     * Writes a change made to {@code reservation} as read at its version, for leadership term {@code term}; returns it
     * with the version raised by one. Refused with {@link StoreFencedException} if the item was written in a newer term.
     */
    Reservation update(Reservation reservation, long term);

    /** {@link #create} outside any term (tools and tests). */
    default Reservation create(Reservation reservation) {
        return create(reservation, 0);
    }

    /** {@link #update} outside any term: refused once a leader wrote the item. */
    default Reservation update(Reservation reservation) {
        return update(reservation, 0);
    }

    /**
     * Takes the next leadership term, with a conditional write on the ledger (so two replicas never take the same one);
     * from then on {@link #book} with an older term is refused.
     */
    LeaderTerm lead();

    /**
     * The ledger write a placement makes before its reservation write: records {@code holders}, the reservations
     * holding GPUs once the placement lands. Refused with {@link StoreFencedException} unless {@code term} is current.
     */
    void book(long term, Set<ReservationId> holders);

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

    /** The idle policy's exemptions an admin made, as {@code user:U123}, {@code team:NAME}, {@code reservation:ID}; empty when none. */
    default Set<String> idleExemptions() {
        return Set.of();
    }

    /** Replaces the idle exemptions; last writer wins. A store that keeps none refuses. */
    default void saveIdleExemptions(Set<String> exemptions) {
        throw new StoreUnavailableException("this store keeps no idle exemptions", new UnsupportedOperationException());
    }
}
