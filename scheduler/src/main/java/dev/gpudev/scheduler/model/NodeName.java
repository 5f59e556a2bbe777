package dev.gpudev.scheduler.model;

/** A Kubernetes node name. */
public record NodeName(String value) implements Comparable<NodeName> {
    public NodeName {
        if (value.isBlank()) {
            throw new IllegalArgumentException("node name must not be blank");
        }
    }

    @Override
    public int compareTo(NodeName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
