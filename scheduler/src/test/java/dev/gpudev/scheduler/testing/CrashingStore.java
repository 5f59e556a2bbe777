package dev.gpudev.scheduler.testing;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.model.UserLink;
import dev.gpudev.scheduler.port.LeaderTerm;
import dev.gpudev.scheduler.port.ReservationStore;

/** A store whose every call is a crash point; the store behind it survives the crash. */
public record CrashingStore(ReservationStore store, CrashPoints points) implements ReservationStore {
    @Override
    public Reservation create(Reservation reservation, long term) {
        return points.around("create " + reservation.id(), () -> store.create(reservation, term));
    }

    @Override
    public Reservation update(Reservation reservation, long term) {
        return points.around("update " + reservation.id() + " to " + reservation.state(), () -> store.update(reservation, term));
    }

    @Override
    public LeaderTerm lead() {
        return points.around("lead", store::lead);
    }

    @Override
    public void book(long term, Set<ReservationId> holders) {
        points.around("book " + holders.size(), () -> store.book(term, holders));
    }

    @Override
    public Optional<Reservation> find(ReservationId id) {
        return points.around("find " + id, () -> store.find(id));
    }

    @Override
    public List<Reservation> live() {
        return points.around("live", store::live);
    }

    @Override
    public List<Reservation> byOwner(UserId owner, int limit) {
        return points.around("byOwner", () -> store.byOwner(owner, limit));
    }

    @Override
    public List<Reservation> byIdPrefix(String prefix, int limit) {
        return points.around("byIdPrefix " + prefix, () -> store.byIdPrefix(prefix, limit));
    }

    @Override
    public List<Reservation> byOwnerIdPrefix(UserId owner, String prefix, int limit) {
        return points.around("byOwnerIdPrefix " + prefix, () -> store.byOwnerIdPrefix(owner, prefix, limit));
    }

    @Override
    public Optional<String> claim(String key, String value) {
        return points.around("claim " + key, () -> store.claim(key, value));
    }

    @Override
    public Optional<UserLink> link(UserId user) {
        return points.around("link", () -> store.link(user));
    }

    @Override
    public Set<NodeName> drained() {
        return points.around("drained", store::drained);
    }

    @Override
    public void saveDrained(Set<NodeName> nodes) {
        points.around("saveDrained", () -> store.saveDrained(nodes));
    }

    @Override
    public Set<String> idleExemptions() {
        return points.around("idleExemptions", store::idleExemptions);
    }

    @Override
    public void saveIdleExemptions(Set<String> exemptions) {
        points.around("saveIdleExemptions", () -> store.saveIdleExemptions(exemptions));
    }

    @Override
    public void saveLink(UserLink link) {
        points.around("saveLink", () -> store.saveLink(link));
    }
}
