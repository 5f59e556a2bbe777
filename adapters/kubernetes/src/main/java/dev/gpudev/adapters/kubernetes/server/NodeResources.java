package dev.gpudev.adapters.kubernetes.server;

import java.math.BigDecimal;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;

/** What a node offers beyond GPUs: allocatable CPU cores, memory bytes and EFA devices. */
public record NodeResources(BigDecimal cpu, BigDecimal memory, int efa) {
    public static final String EFA = "vpc.amazonaws.com/efa";
    public static final NodeResources UNKNOWN = new NodeResources(BigDecimal.ZERO, BigDecimal.ZERO, 0);

    public NodeResources {
        if (cpu.signum() < 0 || memory.signum() < 0 || efa < 0) {
            throw new IllegalArgumentException("negative node resources");
        }
    }

    public static NodeResources of(Node node) {
        Map<String, Quantity> a = node.getStatus() == null ? null : node.getStatus().getAllocatable();
        if (a == null) {
            return UNKNOWN;
        }
        return new NodeResources(amount(a, "cpu"), amount(a, "memory"), amount(a, EFA).intValue());
    }

    private static BigDecimal amount(Map<String, Quantity> a, String key) {
        Quantity q = a.get(key);
        return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q).max(BigDecimal.ZERO);
    }
}
