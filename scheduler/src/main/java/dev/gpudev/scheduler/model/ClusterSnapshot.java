package dev.gpudev.scheduler.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable view of the GPU nodes at one instant. Indexed by type and name when built: every decision looks up
 * the nodes of a type several times, and a snapshot changes far less often than decisions are made.
 */
public final class ClusterSnapshot {
    public static final ClusterSnapshot EMPTY = new ClusterSnapshot(List.of());

    private final List<NodeInfo> nodes;
    private final Map<String, List<NodeInfo>> byType;
    private final Map<NodeName, NodeInfo> byName;

    public ClusterSnapshot(List<NodeInfo> nodes) {
        this.nodes = List.copyOf(nodes);
        Map<String, List<NodeInfo>> types = new HashMap<>();
        Map<NodeName, NodeInfo> names = new HashMap<>();
        for (NodeInfo n : this.nodes) {
            types.computeIfAbsent(n.gpuType(), t -> new ArrayList<>()).add(n);
            names.putIfAbsent(n.name(), n);
        }
        types.replaceAll((t, list) -> List.copyOf(list));
        this.byType = Map.copyOf(types);
        this.byName = Map.copyOf(names);
    }

    public List<NodeInfo> nodes() {
        return nodes;
    }

    /** The nodes of one GPU type, in the snapshot's order. */
    public List<NodeInfo> nodesOf(String gpuType) {
        return byType.getOrDefault(gpuType, List.of());
    }

    public Optional<NodeInfo> node(NodeName name) {
        return Optional.ofNullable(byName.get(name));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterSnapshot c && nodes.equals(c.nodes);
    }

    @Override
    public int hashCode() {
        return nodes.hashCode();
    }

    @Override
    public String toString() {
        return "ClusterSnapshot[nodes=" + nodes + "]";
    }
}
