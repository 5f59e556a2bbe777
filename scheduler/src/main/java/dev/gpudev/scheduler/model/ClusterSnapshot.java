package dev.gpudev.scheduler.model;

import java.util.List;
import java.util.Optional;

/** An immutable view of the GPU nodes at one instant. */
public record ClusterSnapshot(List<NodeInfo> nodes) {
    public static final ClusterSnapshot EMPTY = new ClusterSnapshot(List.of());

    public ClusterSnapshot {
        nodes = List.copyOf(nodes);
    }

    public List<NodeInfo> nodesOf(String gpuType) {
        return nodes.stream().filter(n -> n.gpuType().equals(gpuType)).toList();
    }

    public Optional<NodeInfo> node(NodeName name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }
}
