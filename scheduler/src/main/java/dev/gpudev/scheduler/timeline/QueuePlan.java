package dev.gpudev.scheduler.timeline;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;

/** One queue's plan at one instant: who starts now and where, and for the rest their position and expected start. */
public record QueuePlan(List<Entry> entries) {
    public QueuePlan {
        entries = List.copyOf(entries);
    }

    /**
     * @param startOn  the nodes it starts on now; empty while it waits
     * @param position 1-based place among the waiting requests of its type (0 when it starts now)
     * @param eta      the planned start; null when no node can hold it at any time the timeline knows
     * @param promised the nodes kept for it from {@code eta} on, which later requests must not take; empty if none
     * @param told     the ETA its owner is told: the start planned with the expected ends of the work ahead where a history
     *                 of run times exists (see {@link ExpectedRun}), never later than {@code eta}; else {@code eta}
     */
    public record Entry(Reservation reservation, List<NodeName> startOn, int position, @Nullable Instant eta, List<NodeName> promised,
                        @Nullable Instant told) {
        public Entry {
            startOn = List.copyOf(startOn);
            promised = List.copyOf(promised);
        }

        /** An entry whose owner is told the planned start. */
        public Entry(Reservation reservation, List<NodeName> startOn, int position, @Nullable Instant eta, List<NodeName> promised) {
            this(reservation, startOn, position, eta, promised, eta);
        }

        public boolean starts() {
            return !startOn.isEmpty();
        }
    }

    public List<Entry> starting() {
        return entries.stream().filter(Entry::starts).toList();
    }

    public List<Entry> waiting() {
        return entries.stream().filter(e -> !e.starts()).toList();
    }

    public Map<ReservationId, Entry> byId() {
        Map<ReservationId, Entry> m = new LinkedHashMap<>();
        entries.forEach(e -> m.put(e.reservation().id(), e));
        return m;
    }
}
