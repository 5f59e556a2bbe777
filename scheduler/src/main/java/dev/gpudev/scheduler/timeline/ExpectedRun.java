package dev.gpudev.scheduler.timeline;

import dev.gpudev.scheduler.model.UserId;

/**
 * The share of its requested duration a reservation is expected to run, learned from how long earlier ones ran. Used
 * only for the ETA an owner is told ({@link QueuePlan.Entry#told}); starts and promises keep the reserved ends.
 */
public interface ExpectedRun {
    /** No history: every reservation runs to its reserved end, and the told ETA is the planned start. */
    ExpectedRun NONE = owner -> 1.0;

    /** In (0, 1]. */
    double share(UserId owner);
}
