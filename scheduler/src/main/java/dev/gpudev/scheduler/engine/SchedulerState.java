package dev.gpudev.scheduler.engine;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;

/** What the engine decides on: the live reservations, the nodes, and the nodes an admin drained. Immutable. */
public record SchedulerState(Map<ReservationId, Reservation> live, ClusterSnapshot cluster, Set<NodeName> drained) {
    public static final SchedulerState EMPTY = new SchedulerState(Map.of(), ClusterSnapshot.EMPTY, Set.of());

    public SchedulerState {
        live = Map.copyOf(live);
        drained = Set.copyOf(drained);
    }

    public static SchedulerState of(List<Reservation> reservations, ClusterSnapshot cluster) {
        Map<ReservationId, Reservation> m = new LinkedHashMap<>();
        reservations.stream().filter(Reservation::live).forEach(r -> m.put(r.id(), r));
        return new SchedulerState(m, cluster, Set.of());
    }

    public Optional<Reservation> find(ReservationId id) {
        return Optional.ofNullable(live.get(id));
    }

    /** The queue of one GPU type in arrival order. */
    public List<Reservation> queue(String gpuType) {
        return live.values().stream()
                .filter(r -> r.state() == ReservationState.QUEUED && r.gpuType().equals(gpuType))
                .sorted(Comparator.comparing(Reservation::requestedAt).thenComparing(Reservation::id))
                .toList();
    }

    public List<Reservation> inState(ReservationState state) {
        return live.values().stream().filter(r -> r.state() == state).sorted(Comparator.comparing(Reservation::id)).toList();
    }

    public SchedulerState with(Reservation r) {
        Map<ReservationId, Reservation> m = new LinkedHashMap<>(live);
        if (r.live()) {
            m.put(r.id(), r);
        } else {
            m.remove(r.id());
        }
        return new SchedulerState(m, cluster, drained);
    }

    public SchedulerState withCluster(ClusterSnapshot snapshot) {
        return new SchedulerState(live, snapshot, drained);
    }

    public SchedulerState withDrained(Set<NodeName> nodes) {
        return new SchedulerState(live, cluster, nodes);
    }
}
