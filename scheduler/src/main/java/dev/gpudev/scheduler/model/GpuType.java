package dev.gpudev.scheduler.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One kind of GPU node in the catalog.
 *
 * @param name          canonical lower-case name, e.g. {@code h100}
 * @param aliases       other names users may type, e.g. {@code p5}, {@code g6}
 * @param gpusPerNode   GPUs on one node of this type
 * @param instanceType  EC2 instance type, e.g. {@code p5.48xlarge}
 * @param nodeSelector  node labels that select this type's nodes
 * @param multiNode     whether a request may span several whole nodes (a multiple of {@code gpusPerNode})
 */
public record GpuType(String name, Set<String> aliases, int gpusPerNode, String instanceType,
                      Map<String, String> nodeSelector, boolean multiNode) {
    public GpuType {
        name = name.toLowerCase(Locale.ROOT);
        aliases = Set.copyOf(aliases.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList());
        nodeSelector = Map.copyOf(nodeSelector);
        if (!name.matches("[a-z0-9]{1,16}")) {
            throw new IllegalArgumentException("GPU type name must be 1-16 lower-case letters or digits: " + name);
        }
        if (gpusPerNode < 1) {
            throw new IllegalArgumentException("gpus-per-node of " + name + " must be positive");
        }
    }

    public boolean answersTo(String typed) {
        String t = typed.toLowerCase(Locale.ROOT);
        return name.equals(t) || aliases.contains(t);
    }

    /** GPU counts one request may ask for: powers of two up to a node, then whole nodes if allowed. */
    public List<Integer> validCounts(int maxNodes) {
        List<Integer> counts = new ArrayList<>();
        for (int c = 1; c <= gpusPerNode; c *= 2) {
            counts.add(c);
        }
        if (!counts.contains(gpusPerNode)) {
            counts.add(gpusPerNode);
        }
        if (multiNode) {
            for (int n = 2; n <= maxNodes; n++) {
                counts.add(n * gpusPerNode);
            }
        }
        return List.copyOf(counts);
    }

    /** Nodes a request for {@code gpus} GPUs occupies (1 unless it spans whole nodes). */
    public int nodesFor(int gpus) {
        return gpus <= gpusPerNode ? 1 : gpus / gpusPerNode;
    }
}
