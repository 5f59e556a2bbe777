package dev.gpudev.scheduler.timeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeInfo;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.Placer;
import dev.gpudev.scheduler.policy.QueuePolicy;

/** What the chat shows for {@code /gpu availability}: free and total GPUs per type and node, queue length, ETAs. */
public record Availability(List<TypeView> types) {
    /** The request length the ETA table assumes. */
    public static final Duration PROBE_LENGTH = Duration.ofHours(1);
    private static final UserId PROBE_USER = new UserId("availability-probe");

    public Availability {
        types = List.copyOf(types);
    }

    /**
     * @param etas when a new request of that many GPUs for {@link #PROBE_LENGTH} would start, by someone who holds
     *             none (absent: no node can hold it)
     */
    public record TypeView(String type, int free, int total, int queued, List<NodeView> nodes, Map<Integer, Instant> etas) {
        public TypeView {
            nodes = List.copyOf(nodes);
            etas = Map.copyOf(etas);
        }
    }

    /** @param schedulable false when not ready, cordoned or drained */
    public record NodeView(NodeName name, int free, int total, boolean schedulable) {
    }

    public static Availability of(GpuCatalog catalog, ClusterSnapshot cluster, Collection<Reservation> live, Set<NodeName> drained,
                                  Limits limits, QueuePolicy policy, Instant now) {
        Map<NodeName, Integer> free = Placer.free(cluster, live, drained);
        List<TypeView> views = new ArrayList<>();
        for (GpuType type : catalog.types()) {
            List<NodeInfo> nodes = cluster.nodesOf(type.name()).stream().sorted(Comparator.comparing(NodeInfo::name)).toList();
            if (nodes.isEmpty()) {
                continue;
            }
            List<NodeView> nodeViews = nodes.stream().map(n -> new NodeView(n.name(), free.getOrDefault(n.name(), 0), n.capacity(),
                    n.schedulable() && !drained.contains(n.name()))).toList();
            int queued = (int) live.stream().filter(r -> r.state() == ReservationState.QUEUED && r.gpuType().equals(type.name())).count();
            Map<Integer, Instant> etas = new LinkedHashMap<>();
            for (int gpus = 1; gpus <= type.gpusPerNode(); gpus *= 2) {
                Reservation probe = Reservation.queued(new ReservationId(type.name() + "-ffffffffffff"), PROBE_USER, type.name(), gpus,
                        PROBE_LENGTH, RequestOptions.NONE, now);
                @Nullable Instant eta = QueuePlanner.etaAfter(type, cluster, live, drained, limits, policy, now, probe);
                if (eta != null) {
                    etas.put(gpus, eta);
                }
            }
            views.add(new TypeView(type.name(), nodeViews.stream().mapToInt(NodeView::free).sum(),
                    nodeViews.stream().mapToInt(NodeView::total).sum(), queued, nodeViews, etas));
        }
        return new Availability(views);
    }
}
