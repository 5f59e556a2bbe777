package dev.gpudev.scheduler.model;

import org.jspecify.annotations.Nullable;

/**
 * A GPU node as the scheduler sees it.
 *
 * @param capacity       allocatable GPUs of the node
 * @param usedByOthers   GPUs requested by pods that are not this bot's servers (the bot counts its own from reservations)
 * @param schedulable    false when not Ready, cordoned, drained or tainted against the servers
 * @param placementGroup nodes of one group may carry one multi-node reservation together
 */
public record NodeInfo(NodeName name, String gpuType, int capacity, int usedByOthers, boolean schedulable,
                       @Nullable String placementGroup, @Nullable String zone) {
    public NodeInfo {
        if (capacity < 0 || usedByOthers < 0) {
            throw new IllegalArgumentException("negative GPU counts on node " + name);
        }
    }

    public static NodeInfo of(String name, String gpuType, int capacity) {
        return new NodeInfo(new NodeName(name), gpuType, capacity, 0, true, null, null);
    }
}
