package dev.gpudev.scheduler.sim;

/**
 * One job of a workload, in seconds from the start of the trace.
 *
 * @param requested the duration asked for: the run time rounded up to whole hours, at most 48 h
 */
record Job(int index, String user, int gpus, long submit, long run, long requested) {
    Job {
        if (gpus < 1 || run < 1 || requested < run) {
            throw new IllegalArgumentException("job " + index + ": bad shape");
        }
    }

    Job at(long when) {
        return new Job(index, user, gpus, when, run, requested);
    }

    /** Bounded slowdown as the trace README defines it. */
    double slowdown(long wait) {
        return Math.max(1.0, (double) (wait + run) / Math.max(run, 600));
    }
}
