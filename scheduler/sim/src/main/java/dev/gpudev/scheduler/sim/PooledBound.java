package dev.gpudev.scheduler.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The limits of the {@code bound} row. Mean wait: all GPUs pooled into one machine (no node boundaries), free
 * preemption, shortest remaining run time first. Utilization: all work over the shortest span any schedule can
 * have, which ends no earlier than any job's submit + run time, and no earlier than {@code t + (work submitted from
 * t on) / GPUs} for every submit time {@code t}.
 */
final class PooledBound {
    private PooledBound() {
    }

    record Result(long[] waits, double utilization) {
    }

    static Result of(List<Job> jobs, int gpus) {
        int n = jobs.size();
        double[] remaining = new double[n];
        double[] done = new double[n];
        Comparator<Integer> shortest = Comparator.<Integer>comparingDouble(j -> remaining[j]).thenComparingInt(j -> j);
        TreeSet<Integer> waiting = new TreeSet<>(shortest);
        List<Integer> running = new ArrayList<>();
        int next = 0;
        double now = jobs.getFirst().submit();
        int finished = 0;
        while (finished < n) {
            double arrival = next < n ? jobs.get(next).submit() : Double.MAX_VALUE;
            double end = running.stream().mapToDouble(j -> remaining[j]).min().orElse(Double.MAX_VALUE);
            double step = Math.min(arrival - now, end);
            for (int j : running) {
                remaining[j] -= step;
            }
            now += step;
            List<Integer> still = new ArrayList<>();
            for (int j : running) {
                if (remaining[j] <= 1e-6) {
                    done[j] = now;
                    finished++;
                } else {
                    still.add(j);
                }
            }
            while (next < n && jobs.get(next).submit() <= now) {
                remaining[next] = jobs.get(next).run();
                waiting.add(next++);
            }
            waiting.addAll(still);
            running.clear();
            int free = gpus;
            for (var it = waiting.iterator(); it.hasNext() && free > 0; ) {
                int j = it.next();
                if (jobs.get(j).gpus() <= free) {
                    free -= jobs.get(j).gpus();
                    running.add(j);
                    it.remove();
                }
            }
        }
        long[] waits = new long[n];
        double work = 0;
        double last = 0;
        for (int i = n - 1; i >= 0; i--) {
            Job j = jobs.get(i);
            waits[j.index()] = Math.min(Workload.MAX_RUN, Math.max(0, Math.round(done[j.index()] - j.submit() - j.run())));
            work += (double) j.gpus() * j.run();
            last = Math.max(last, Math.max(j.submit() + j.run(), j.submit() + work / gpus));
        }
        return new Result(waits, work / (gpus * (last - jobs.getFirst().submit())));
    }
}
