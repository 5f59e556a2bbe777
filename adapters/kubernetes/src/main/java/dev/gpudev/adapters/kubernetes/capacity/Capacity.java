package dev.gpudev.adapters.kubernetes.capacity;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Taint;
import org.jspecify.annotations.Nullable;

import dev.gpudev.adapters.kubernetes.server.Labels;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeInfo;
import dev.gpudev.scheduler.model.NodeName;

/** Turns nodes and the pods bound to them into the scheduler's snapshot. Pure. */
public final class Capacity {
    public static final String GPU = "nvidia.com/gpu";
    public static final String ZONE = "topology.kubernetes.io/zone";
    private static final Set<String> BLOCKING_EFFECTS = Set.of("NoSchedule", "NoExecute");

    private Capacity() {
    }

    /**
     * @param nodes               any nodes; those matching no catalog type are left out
     * @param pods                pods of every namespace; this bot's servers are not counted (the scheduler counts them)
     * @param placementGroupLabel node label naming the placement group
     * @param tolerated           taint keys the servers tolerate
     */
    public static ClusterSnapshot snapshot(Collection<Node> nodes, Collection<Pod> pods, GpuCatalog catalog,
                                           String placementGroupLabel, Collection<String> tolerated) {
        Set<String> gpuNodes = new HashSet<>();
        nodes.forEach(n -> gpuNodes.add(n.getMetadata().getName()));
        Map<String, Integer> usedByOthers = new HashMap<>();
        for (Pod p : pods) {
            String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
            if (node != null && gpuNodes.contains(node) && !terminated(p) && Labels.reservationOf(p).isEmpty()) {
                usedByOthers.merge(node, gpusRequested(p), Integer::sum);
            }
        }
        List<NodeInfo> infos = nodes.stream()
                .flatMap(n -> typeOf(n, catalog).stream().map(t -> {
                    String name = n.getMetadata().getName();
                    int capacity = gpus(n);
                    Map<String, String> labels = labels(n);
                    return new NodeInfo(new NodeName(name), t.name(), capacity,
                            Math.min(capacity, usedByOthers.getOrDefault(name, 0)), schedulable(n, tolerated),
                            blankToNull(labels.get(placementGroupLabel)), blankToNull(labels.get(ZONE)));
                }))
                .sorted(Comparator.comparing(NodeInfo::name))
                .toList();
        return new ClusterSnapshot(infos);
    }

    /** The catalog type whose node selector the node's labels satisfy. */
    public static Optional<GpuType> typeOf(Node node, GpuCatalog catalog) {
        Map<String, String> labels = labels(node);
        return catalog.types().stream()
                .filter(t -> !t.nodeSelector().isEmpty()
                        && t.nodeSelector().entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey()))))
                .findFirst();
    }

    /** Ready, not cordoned, and no NoSchedule/NoExecute taint the servers do not tolerate. */
    public static boolean schedulable(Node node, Collection<String> tolerated) {
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            return false;
        }
        List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
        boolean blocked = taints.stream().anyMatch(t -> BLOCKING_EFFECTS.contains(t.getEffect()) && !tolerated.contains(t.getKey()));
        boolean ready = node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        return ready && !blocked;
    }

    /** Allocatable GPUs of a node. */
    public static int gpus(Node node) {
        return amount(node.getStatus() == null ? null : node.getStatus().getAllocatable(), GPU).intValue();
    }

    /** GPUs a pod holds as the kube-scheduler counts them: max(sum of containers, largest init container). */
    public static int gpusRequested(Pod pod) {
        if (pod.getSpec() == null) {
            return 0;
        }
        int main = Stream.ofNullable(pod.getSpec().getContainers()).flatMap(List::stream).mapToInt(Capacity::gpus).sum();
        int init = Stream.ofNullable(pod.getSpec().getInitContainers()).flatMap(List::stream).mapToInt(Capacity::gpus).max().orElse(0);
        return Math.max(main, init);
    }

    static boolean terminated(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static int gpus(Container c) {
        ResourceRequirements r = c.getResources();
        if (r == null) {
            return 0;
        }
        // Extended resources need request == limit; a pod may give only the limit.
        int requested = count(r.getRequests(), GPU);
        return requested > 0 ? requested : count(r.getLimits(), GPU);
    }

    /** Like {@link #amount}, with a fast path for plain integers: this runs for every pod on every change. */
    private static int count(@Nullable Map<String, Quantity> resources, String name) {
        Quantity q = resources == null ? null : resources.get(name);
        if (q == null) {
            return 0;
        }
        if (q.getFormat() == null || q.getFormat().isEmpty()) {
            try {
                return Integer.parseInt(q.getAmount());
            } catch (NumberFormatException e) {
                // a decimal or exponent form: parse it fully below
            }
        }
        return Quantity.getAmountInBytes(q).intValue();
    }

    private static BigDecimal amount(@Nullable Map<String, Quantity> resources, String name) {
        Quantity q = resources == null ? null : resources.get(name);
        return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }

    private static Map<String, String> labels(Node n) {
        return n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
