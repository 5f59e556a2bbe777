package dev.gpudev.scheduler.policy;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeInfo;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;

/**
 * Per-node placement. Free GPUs are counted per node and never summed across nodes; a request that needs
 * more than one node takes whole free nodes of one placement group at once, or waits.
 */
public final class Placer {
    private Placer() {
    }

    /** Free GPUs of each schedulable node: capacity, minus other pods' GPUs, minus what reservations hold there. */
    public static Map<NodeName, Integer> free(ClusterSnapshot cluster, Collection<Reservation> reservations, Set<NodeName> drained) {
        Map<NodeName, Integer> used = new HashMap<>();
        for (Reservation r : reservations) {
            if (r.state().holdsGpus()) {
                r.nodes().forEach(n -> used.merge(n, r.gpusPerNode(), Integer::sum));
            }
        }
        return free(cluster, used, drained);
    }

    /** The same, from the GPUs reservations hold per node (a node absent from {@code used} has none held). */
    public static Map<NodeName, Integer> free(ClusterSnapshot cluster, Map<NodeName, Integer> used, Set<NodeName> drained) {
        Map<NodeName, Integer> free = new LinkedHashMap<>();
        for (NodeInfo n : cluster.nodes()) {
            int cap = n.schedulable() && !drained.contains(n.name()) ? Math.max(0, n.capacity() - n.usedByOthers()) : 0;
            free.put(n.name(), Math.max(0, cap - used.getOrDefault(n.name(), 0)));
        }
        return free;
    }

    /** Why a request for {@code gpus} can never be placed on this cluster, however long it waits; empty if it can. */
    public static Optional<String> impossible(ClusterSnapshot cluster, GpuType type, int gpus) {
        return switch (place(cluster, Map.of(), type, gpus)) {
            case Placement.Impossible i -> Optional.of(i.why());
            case Placement.Placed p -> Optional.empty();
            case Placement.Waiting w -> Optional.empty();
        };
    }

    public static Placement place(ClusterSnapshot cluster, Map<NodeName, Integer> free, GpuType type, int gpus) {
        List<NodeInfo> nodes = cluster.nodesOf(type.name());
        if (nodes.isEmpty()) {
            return new Placement.Impossible("there are no " + type.name() + " nodes");
        }
        int wanted = type.nodesFor(gpus);
        if (wanted == 1) {
            if (nodes.stream().noneMatch(n -> n.capacity() >= gpus)) {
                return new Placement.Impossible("no " + type.name() + " node has " + gpus + " GPUs");
            }
            // best fit: the fullest node that still fits, so whole nodes stay free for large requests
            return nodes.stream()
                    .filter(n -> free.getOrDefault(n.name(), 0) >= gpus)
                    .min(Comparator.comparingInt((NodeInfo n) -> free.get(n.name())).thenComparing(NodeInfo::name))
                    .<Placement>map(n -> new Placement.Placed(List.of(n.name())))
                    .orElseGet(() -> new Placement.Waiting("no " + type.name() + " node has " + gpus + " free GPUs"));
        }
        Map<String, List<NodeInfo>> groups = nodes.stream()
                .filter(n -> n.capacity() == type.gpusPerNode())
                .collect(Collectors.groupingBy(n -> Objects.requireNonNullElse(n.placementGroup(), ""), LinkedHashMap::new, Collectors.toList()));
        if (groups.values().stream().noneMatch(g -> g.size() >= wanted)) {
            return new Placement.Impossible("no placement group has " + wanted + " whole " + type.name() + " nodes");
        }
        return groups.values().stream()
                .map(g -> g.stream().filter(n -> free.getOrDefault(n.name(), 0) == type.gpusPerNode()).map(NodeInfo::name).sorted().toList())
                .filter(whole -> whole.size() >= wanted)
                .min(Comparator.comparingInt(List::size))
                .<Placement>map(whole -> new Placement.Placed(whole.subList(0, wanted)))
                .orElseGet(() -> new Placement.Waiting("waiting for " + wanted + " whole " + type.name() + " nodes in one placement group"));
    }
}
