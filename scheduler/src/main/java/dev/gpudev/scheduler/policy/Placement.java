package dev.gpudev.scheduler.policy;

import java.util.List;

import dev.gpudev.scheduler.model.NodeName;

/** Where a request can go now. */
public sealed interface Placement {
    record Placed(List<NodeName> nodes) implements Placement {
        public Placed {
            nodes = List.copyOf(nodes);
        }
    }

    /** Fits the cluster, not now. */
    record Waiting(String why) implements Placement {
    }

    /** Can never fit: tell the user at once. */
    record Impossible(String why) implements Placement {
    }
}
