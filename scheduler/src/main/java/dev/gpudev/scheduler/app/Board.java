package dev.gpudev.scheduler.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.ImagePolicy;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.Placement;
import dev.gpudev.scheduler.policy.Placer;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.timeline.Availability;
import dev.gpudev.scheduler.timeline.QueuePlan;

/**
 * The one read model of the chat side: an immutable snapshot of what is live, who waits where and until when, what is
 * free, and what may be asked for. Views take a Board (and the {@link Actor}), never the scheduler's state.
 *
 * @param live   the live reservations (queued, provisioning, active), oldest request first
 * @param queues each GPU type's waiting requests in the order they start, with their ETAs; types nobody waits for are absent
 * @param types  each GPU type the cluster has nodes of, in catalog order
 */
public record Board(Instant now, List<Reservation> live, Map<String, List<Waiting>> queues, List<TypeStatus> types,
                    Limits limits, FormOptions form) {
    /** The durations the reserve form offers, within the limits. */
    public static final List<Duration> PRESETS = List.of(Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1),
            Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8), Duration.ofHours(12), Duration.ofHours(24));

    public Board {
        live = List.copyOf(live);
        Map<String, List<Waiting>> q = new LinkedHashMap<>();
        queues.forEach((type, waiting) -> q.put(type, List.copyOf(waiting)));
        queues = Collections.unmodifiableMap(q);
        types = List.copyOf(types);
    }

    /** @param eta the planned start; null when no node can hold it at any time the timeline knows */
    public record Waiting(Reservation reservation, int position, @Nullable Instant eta) {
    }

    /**
     * @param largestRequest the most GPUs one new request of this type would get at once (0: none free now)
     * @param nextFree       when a new 1-GPU request would start (now if one is free); null: no node can hold one
     * @param etas           when a new request of that many GPUs for {@link Availability#PROBE_LENGTH} would start
     * @param validCounts    the GPU counts a request of this type may ask for on this cluster
     */
    public record TypeStatus(GpuType type, int free, int total, int queued, int largestRequest, @Nullable Instant nextFree,
                             List<Node> nodes, Map<Integer, Instant> etas, List<Integer> validCounts) {
        public TypeStatus {
            nodes = List.copyOf(nodes);
            etas = Collections.unmodifiableMap(new LinkedHashMap<>(etas));
            validCounts = List.copyOf(validCounts);
        }

        public String name() {
            return type.name();
        }
    }

    /** @param schedulable false when not ready, cordoned or drained */
    public record Node(NodeName name, int free, int total, boolean schedulable) {
    }

    /**
     * What the reserve form offers.
     *
     * @param catalog   every GPU type and its aliases (the cluster may have no nodes of some yet)
     * @param durations the preset durations within the limits
     * @param jupyter   whether the cluster offers Jupyter
     * @param images    the images a request may name
     */
    public record FormOptions(GpuCatalog catalog, List<Duration> durations, boolean jupyter, ImagePolicy images) {
        public FormOptions {
            durations = List.copyOf(durations);
        }
    }

    public Optional<Reservation> find(ReservationId id) {
        return live.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    public List<Reservation> liveOf(UserId user) {
        return live.stream().filter(r -> r.owner().equals(user)).toList();
    }

    public List<Waiting> queue(String gpuType) {
        return queues.getOrDefault(gpuType, List.of());
    }

    public Optional<TypeStatus> type(String gpuType) {
        return types.stream().filter(t -> t.name().equals(gpuType)).findFirst();
    }

    public long waiting() {
        return live.stream().filter(r -> r.state() == ReservationState.QUEUED).count();
    }

    /** The active reservations that end first. */
    public List<Reservation> endingFirst(int limit) {
        return live.stream().filter(r -> r.state() == ReservationState.ACTIVE)
                .sorted(Comparator.comparing(Reservation::endsAt)).limit(limit).toList();
    }

    /** The snapshot of {@code state} at {@code now}: queue plans from the engine, availability from its policy. */
    public static Board of(SchedulerState state, Engine engine, RequestValidator validator, Instant now) {
        List<Reservation> live = state.live().values().stream()
                .sorted(Comparator.comparing(Reservation::requestedAt).thenComparing(r -> r.id().value())).toList();
        Map<String, List<Waiting>> queues = new LinkedHashMap<>();
        engine.plans(state, now).forEach((type, plan) -> queues.put(type, plan.waiting().stream()
                .map((QueuePlan.Entry e) -> new Waiting(e.reservation(), e.position(), e.told())).toList()));
        Availability a = Availability.of(engine.catalog(), state.cluster(), state.live().values(), state.drained(),
                engine.limits(), engine.policy(), now);
        Map<NodeName, Integer> free = state.free();
        List<TypeStatus> types = new ArrayList<>();
        for (Availability.TypeView t : a.types()) {
            GpuType type = engine.catalog().require(t.type());
            List<Integer> counts = type.validCounts(Math.max(1, t.nodes().size()));
            int largest = counts.stream().filter(c -> Placer.place(state.cluster(), free, type, c) instanceof Placement.Placed)
                    .mapToInt(Integer::intValue).max().orElse(0);
            types.add(new TypeStatus(type, t.free(), t.total(), t.queued(), largest, t.etas().get(1),
                    t.nodes().stream().map(n -> new Node(n.name(), n.free(), n.total(), n.schedulable())).toList(),
                    t.etas(), counts));
        }
        Limits limits = engine.limits();
        List<Duration> durations = PRESETS.stream()
                .filter(d -> d.compareTo(limits.minDuration()) >= 0 && d.compareTo(limits.maxDuration()) <= 0).toList();
        return new Board(now, live, queues, types, limits,
                new FormOptions(engine.catalog(), durations, validator.jupyter(), validator.images()));
    }
}
