package dev.gpudev.scheduler.service;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.model.UserLink;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.port.LeaderTerm;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.port.StoreUnavailableException;

/**
 * An in-memory store that can be down, or fail one reservation write after letting some pass (a decision failing
 * halfway); the ledger's writes fail only when it is down.
 */
final class FlakyStore implements ReservationStore {
    final InMemoryReservationStore store = new InMemoryReservationStore();
    volatile boolean down;
    /** Writes that still succeed before the next one fails; negative: no failure planned. */
    final AtomicInteger writesBeforeFailure = new AtomicInteger(-1);
    /** Runs before each write: a test holds a write here to let another thread race it. */
    volatile Runnable beforeWrite = () -> {
    };

    private void check() {
        if (down) {
            throw new StoreUnavailableException("store down (test)", new java.io.IOException("connection refused"));
        }
    }

    private void write() {
        beforeWrite.run();
        check();
        if (writesBeforeFailure.getAndUpdate(n -> n < 0 ? n : n - 1) == 0) {
            throw new StoreUnavailableException("write failed (test)", new java.io.IOException("503"));
        }
    }

    @Override
    public Reservation create(Reservation reservation, long term) {
        write();
        return store.create(reservation, term);
    }

    @Override
    public Reservation update(Reservation reservation, long term) {
        write();
        return store.update(reservation, term);
    }

    @Override
    public LeaderTerm lead() {
        check();
        return store.lead();
    }

    @Override
    public void book(long term, Set<ReservationId> holders) {
        check();
        store.book(term, holders);
    }

    @Override
    public Optional<Reservation> find(ReservationId id) {
        check();
        return store.find(id);
    }

    @Override
    public List<Reservation> live() {
        check();
        return store.live();
    }

    @Override
    public List<Reservation> byOwner(UserId owner, int limit) {
        check();
        return store.byOwner(owner, limit);
    }

    @Override
    public List<Reservation> byIdPrefix(String prefix, int limit) {
        check();
        return store.byIdPrefix(prefix, limit);
    }

    @Override
    public List<Reservation> byOwnerIdPrefix(UserId owner, String prefix, int limit) {
        check();
        return store.byOwnerIdPrefix(owner, prefix, limit);
    }

    @Override
    public Optional<String> claim(String key, String value) {
        check();
        return store.claim(key, value);
    }

    @Override
    public Optional<UserLink> link(UserId user) {
        check();
        return store.link(user);
    }

    @Override
    public Set<NodeName> drained() {
        check();
        return store.drained();
    }

    @Override
    public void saveDrained(Set<NodeName> nodes) {
        write();
        store.saveDrained(nodes);
    }

    @Override
    public void saveLink(UserLink link) {
        check();
        store.saveLink(link);
    }
}
