package dev.gpudev.scheduler.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.engine.Decision;
import dev.gpudev.scheduler.engine.Effect;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.engine.Event;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.port.StoreConflictException;
import dev.gpudev.scheduler.port.StoreUnavailableException;

/**
 * The commit protocol: decide on the state in memory, persist the changed reservations, and only then adopt the new
 * state and hand the effects to the caller (which runs them outside the lock). The memory is this class's: it is
 * replaced only by a committed decision or a reload ({@link #adopt}). Callers hold the service's lock.
 *
 * <p>Ends are written before starts, so a crash between two writes never leaves GPUs held twice in the store. A
 * decision that places books first (the fence: refused once a newer term was taken); a request placed at once is first
 * created as submitted, so that every booked reservation exists before its booking (docs/storage.md). If a write fails
 * after others landed, the effects of those that landed are still due (a cancelled server is released, its owner
 * told), the memory is {@link #behind} and the next decision reloads first.
 */
final class Commit {
    /**
     * What a commit did. {@code failure} null: the decision was adopted and all its {@code effects} are due. Else
     * nothing was adopted; {@code landed} are the writes that stand anyway and {@code effects} theirs.
     */
    record Result(List<Effect> effects, Map<ReservationId, Reservation> landed, @Nullable RuntimeException failure) {
        static final Result NOTHING = new Result(List.of(), Map.of(), null);

        Result {
            effects = List.copyOf(effects);
            landed = Map.copyOf(landed);
        }

        /** This result after {@code earlier}: effects and landed writes add up, the failure is this one's. */
        Result after(Result earlier) {
            if (earlier.effects.isEmpty() && earlier.landed.isEmpty()) {
                return this;
            }
            List<Effect> all = new ArrayList<>(earlier.effects);
            all.addAll(effects);
            Map<ReservationId, Reservation> both = new LinkedHashMap<>(earlier.landed);
            both.putAll(landed);
            return new Result(all, both, failure);
        }
    }

    private final Engine engine;
    private final ReservationStore store;
    private final Clock clock;
    private final List<Consumer<SchedulerState>> watchers;
    private volatile SchedulerState state = SchedulerState.EMPTY;
    /** A decision failed halfway or lost a race: the memory may differ from the store; reload before deciding. */
    private boolean behind;

    Commit(Engine engine, ReservationStore store, Clock clock, List<Consumer<SchedulerState>> watchers) {
        this.engine = engine;
        this.store = store;
        this.clock = clock;
        this.watchers = watchers;
    }

    SchedulerState state() {
        return state;
    }

    boolean behind() {
        return behind;
    }

    void markBehind() {
        behind = true;
    }

    /** Takes {@code fresh} (a reload from the store) as the memory. */
    void adopt(SchedulerState fresh) {
        state = fresh;
        behind = false;
        watchers.forEach(w -> w.accept(fresh));
    }

    Result apply(Event e, long term) {
        SchedulerState before = state;
        Decision d = engine.decide(before, clock.instant(), e);
        // A delivery record changes nothing a watcher shows (the board, the next wake-up): they are not called for it.
        boolean watched = !(e instanceof Event.Delivered);
        if (!watched && d.changed().isEmpty()) {
            return Result.NOTHING;
        }
        SchedulerState next = d.state();
        List<Effect> effects = new ArrayList<>(d.effects());
        List<Reservation> writes = new ArrayList<>(d.changed().stream()
                .sorted(Comparator.comparing((Reservation r) -> r.state() != ReservationState.ENDED)).toList());
        Map<ReservationId, Reservation> written = new LinkedHashMap<>();
        Map<ReservationId, Reservation> submitted = new LinkedHashMap<>();
        try {
            if (writes.stream().anyMatch(r -> places(before, r))) {
                for (int i = 0; i < writes.size(); i++) {
                    Reservation r = writes.get(i);
                    if (r.version() == 0 && r.state().holdsGpus() && e instanceof Event.Submitted(Reservation asked)
                            && asked.id().equals(r.id())) {
                        Reservation created = store.create(asked, term);
                        submitted.put(created.id(), created);
                        writes.set(i, r.withVersion(created.version()));
                    }
                }
                store.book(term, d.state().live().values().stream().filter(r -> r.state().holdsGpus())
                        .map(Reservation::id).collect(Collectors.toSet()));
            }
            for (Reservation r : writes) {
                Reservation saved = r.version() == 0 ? store.create(r, term) : store.update(r, term);
                written.put(saved.id(), saved);
                next = next.with(saved);
                for (int i = 0; i < effects.size(); i++) {
                    effects.set(i, withSaved(effects.get(i), saved));
                }
            }
        } catch (StoreUnavailableException | StoreConflictException ex) {
            Map<ReservationId, Reservation> stands = new LinkedHashMap<>(submitted);
            stands.putAll(written);
            if (!stands.isEmpty() || ex instanceof StoreConflictException) {
                behind = true;
            }
            List<Effect> due = stands.isEmpty() ? List.of()
                    : effects.stream().filter(eff -> concerns(eff).filter(written::containsKey).isPresent()).toList();
            return new Result(due, stands, ex);
        }
        SchedulerState adopted = next;
        state = adopted;
        if (watched) {
            watchers.forEach(w -> w.accept(adopted));
        }
        return new Result(effects, written, null);
    }

    /** Whether writing {@code r} takes GPUs that the state before the decision left free: it must be booked first. */
    private static boolean places(SchedulerState before, Reservation r) {
        return r.state().holdsGpus() && before.find(r.id()).filter(was -> was.state().holdsGpus()).isEmpty();
    }

    private static Optional<ReservationId> concerns(Effect e) {
        return switch (e) {
            case Effect.Provision(Reservation r) -> Optional.of(r.id());
            case Effect.Release(Reservation r) -> Optional.of(r.id());
            case Effect.Notify(Notice n) -> Optional.of(n.reservation().id());
            case Effect.Refused(ReservationId id, String reason) -> Optional.empty();
        };
    }

    private static Effect withSaved(Effect e, Reservation saved) {
        return switch (e) {
            case Effect.Provision(Reservation r) when r.id().equals(saved.id()) -> new Effect.Provision(saved);
            case Effect.Release(Reservation r) when r.id().equals(saved.id()) -> new Effect.Release(saved);
            default -> e;
        };
    }
}
