package dev.gpudev.scheduler.port;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.model.UserLink;

/** The store for tests and sandbox mode, with the same conditional-write semantics as the durable one. */
public final class InMemoryReservationStore implements ReservationStore {
    private final Map<ReservationId, Reservation> reservations = new ConcurrentHashMap<>();
    private final Map<UserId, UserLink> links = new ConcurrentHashMap<>();
    private volatile Set<NodeName> drained = Set.of();
    private volatile Set<String> idleExemptions = Set.of();
    private final Map<String, String> claims = new ConcurrentHashMap<>();
    /** The term each reservation was last written in; reservation writes and the ledger hold the lock. */
    private final Map<ReservationId, Long> terms = new HashMap<>();
    private long term;
    private Set<ReservationId> booked = Set.of();

    @Override
    public synchronized Reservation create(Reservation reservation, long term) {
        Reservation stored = reservation.withVersion(1);
        if (reservations.putIfAbsent(reservation.id(), stored) != null) {
            throw new StoreConflictException("reservation " + reservation.id() + " exists already");
        }
        terms.put(reservation.id(), term);
        return stored;
    }

    @Override
    public synchronized Reservation update(Reservation reservation, long term) {
        Reservation cur = reservations.get(reservation.id());
        long written = terms.getOrDefault(reservation.id(), 0L);
        if (cur != null && written > term) {
            throw new StoreFencedException("reservation " + reservation.id() + " was written in term " + written + ", after term " + term);
        }
        if (cur == null || cur.version() != reservation.version()) {
            throw new StoreConflictException("reservation " + reservation.id() + " changed since version " + reservation.version());
        }
        Reservation next = reservation.withVersion(reservation.version() + 1);
        reservations.put(reservation.id(), next);
        terms.put(reservation.id(), term);
        return next;
    }

    @Override
    public synchronized LeaderTerm lead() {
        term++;
        return new LeaderTerm(term, booked);
    }

    @Override
    public synchronized void book(long term, Set<ReservationId> holders) {
        if (term != this.term) {
            throw new StoreFencedException("the ledger is at term " + this.term + ", not " + term);
        }
        booked = Set.copyOf(holders);
    }

    @Override
    public Optional<Reservation> find(ReservationId id) {
        return Optional.ofNullable(reservations.get(id));
    }

    @Override
    public List<Reservation> live() {
        return reservations.values().stream().filter(Reservation::live).sorted(Comparator.comparing(Reservation::id)).toList();
    }

    @Override
    public List<Reservation> byOwner(UserId owner, int limit) {
        return reservations.values().stream().filter(r -> r.owner().equals(owner))
                .sorted(Comparator.comparing(Reservation::requestedAt).thenComparing(Reservation::id).reversed())
                .limit(limit).toList();
    }

    @Override
    public List<Reservation> byIdPrefix(String prefix, int limit) {
        return reservations.values().stream().filter(r -> r.id().value().startsWith(prefix))
                .sorted(Comparator.comparing(Reservation::id)).limit(Math.max(0, limit)).toList();
    }

    @Override
    public List<Reservation> byOwnerIdPrefix(UserId owner, String prefix, int limit) {
        return reservations.values().stream().filter(r -> r.owner().equals(owner) && r.id().value().startsWith(prefix))
                .sorted(Comparator.comparing(Reservation::id)).limit(Math.max(0, limit)).toList();
    }

    @Override
    public Optional<String> claim(String key, String value) {
        return Optional.ofNullable(claims.putIfAbsent(key, value));
    }

    @Override
    public Optional<UserLink> link(UserId user) {
        return Optional.ofNullable(links.get(user));
    }

    @Override
    public void saveLink(UserLink link) {
        links.put(link.user(), link);
    }

    @Override
    public Set<NodeName> drained() {
        return drained;
    }

    @Override
    public void saveDrained(Set<NodeName> nodes) {
        drained = Set.copyOf(nodes);
    }

    @Override
    public Set<String> idleExemptions() {
        return idleExemptions;
    }

    @Override
    public void saveIdleExemptions(Set<String> exemptions) {
        idleExemptions = Set.copyOf(exemptions);
    }
}
