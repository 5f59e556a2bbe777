package dev.gpudev.scheduler.service;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import dev.gpudev.scheduler.engine.Effect;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.port.Cluster;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.port.StoreConflictException;

/**
 * Rebuilds the memory from the store and the cluster, after a start (a crash at any point before it) or whenever the
 * memory fell behind the store, and says what reconciles the cluster with it.
 */
final class Repair {
    private static final System.Logger LOG = System.getLogger(Repair.class.getName());
    private static final int ATTEMPTS = 3;

    private final ReservationStore store;
    private final Cluster cluster;
    private final Commit commit;

    Repair(ReservationStore store, Cluster cluster, Commit commit) {
        this.store = store;
        this.cluster = cluster;
        this.commit = commit;
    }

    /**
     * The last leader's booking lists the reservations holding GPUs after its last placement, whose reservation write
     * may not have landed yet. Each is read by key (index reads may lag), and one still QUEUED is written again in this
     * term, so that the old placement can no longer land; the engine places it again.
     */
    List<Reservation> settle(Set<ReservationId> booked, long term) {
        List<Reservation> read = new ArrayList<>();
        for (ReservationId id : booked) {
            for (int attempt = 1; ; attempt++) {
                Optional<Reservation> r = store.find(id);
                if (r.isEmpty() || r.get().state() != ReservationState.QUEUED) {
                    r.ifPresent(read::add);
                    break;
                }
                try {
                    read.add(store.update(r.get(), term));
                    break;
                } catch (StoreConflictException landedMeanwhile) {
                    if (attempt == ATTEMPTS) {
                        throw landedMeanwhile;
                    }
                }
            }
        }
        return read;
    }

    /**
     * Reloads the live reservations (and {@code read}, the newer of each) and returns what reconciles the cluster with
     * them: releasing servers whose reservation has ended, and provisioning again what is PROVISIONING (provisioning is
     * idempotent). Caller holds the service's lock.
     */
    List<Effect> reload(List<Reservation> read) {
        Map<ReservationId, Reservation> live = new LinkedHashMap<>();
        Stream.concat(store.live().stream(), read.stream()).filter(Reservation::live)
                .forEach(r -> live.merge(r.id(), r, (x, y) -> x.version() >= y.version() ? x : y));
        // The live index lags writes: what this replica knows as live, or runs a server for, is read by key before it
        // is dropped, or a reservation placed a moment ago would lose its server and its GPUs would be booked twice.
        Set<ReservationId> servers = serversOrNone();
        Map<ReservationId, Reservation> gone = new LinkedHashMap<>();
        Stream.concat(commit.state().live().keySet().stream(), servers.stream()).filter(id -> !live.containsKey(id)).distinct()
                .forEach(id -> store.find(id).ifPresent(r -> (r.live() ? live : gone).put(id, r)));
        SchedulerState fresh = SchedulerState.of(List.copyOf(live.values()), cluster.snapshot()).withDrained(store.drained())
                .withReleases(commit.state().releases());
        List<Effect> effects = new ArrayList<>();
        for (ReservationId id : servers) {
            if (fresh.find(id).filter(r -> r.state().holdsGpus()).isEmpty()) {
                Reservation r = live.getOrDefault(id, gone.get(id));
                if (r == null) {
                    LOG.log(Level.WARNING, "server " + id + " has no reservation in the store; leaving it");
                } else {
                    effects.add(new Effect.Release(r));
                }
            }
        }
        fresh.inState(ReservationState.PROVISIONING).forEach(r -> effects.add(new Effect.Provision(r)));
        commit.adopt(fresh);
        return effects;
    }

    /**
     * The servers to reconcile; none when the cluster cannot say (an API server failing over), so that a start goes on
     * and provisions what is PROVISIONING: the cluster's own periodic reconcile deletes what ended meanwhile.
     */
    private Set<ReservationId> serversOrNone() {
        try {
            return Set.copyOf(cluster.servers());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not list the servers to reconcile, leaving that to the next reconcile: " + e.getMessage());
            return Set.of();
        }
    }
}
