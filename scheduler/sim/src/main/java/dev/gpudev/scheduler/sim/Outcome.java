package dev.gpudev.scheduler.sim;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.IntPredicate;

/**
 * What one policy did with a workload, and the figures the tables show.
 *
 * @param eta the start each job was told when it queued at its submission, or {@link #NO_ETA} (it started at once, or
 *            was told none)
 */
record Outcome(String policy, List<Job> jobs, long[] start, boolean[] expired, long[] eta, int gpus, long lastRelease,
               double fragmentationHours, double decisionsPerSecond) {
    static final long NO_ETA = Long.MIN_VALUE;
    /** How far from its ETA a request may start and still count as on time. */
    static final long ON_TIME = 15 * 60;

    long wait(int j) {
        return expired[j] || start[j] < 0 ? Workload.MAX_RUN : start[j] - jobs.get(j).submit();
    }

    Waits waits(IntPredicate which) {
        long[] w = jobs.stream().mapToInt(Job::index).filter(which).mapToLong(this::wait).sorted().toArray();
        int gone = (int) jobs.stream().mapToInt(Job::index).filter(which).filter(j -> expired[j]).count();
        return Waits.of(w, gone);
    }

    double utilization() {
        double used = jobs.stream().filter(j -> start[j.index()] >= 0).mapToDouble(j -> (double) j.gpus() * j.run()).sum();
        return used / ((double) gpus * Math.max(1, lastRelease - jobs.getFirst().submit()));
    }

    /**
     * Busy GPU-time between the first and the last submission over the capacity in that window: how much of the cluster
     * worked while demand existed, whichever job happens to end last.
     */
    double utilizationWindow() {
        long from = jobs.getFirst().submit();
        long to = jobs.getLast().submit();
        double busy = 0;
        for (Job j : jobs) {
            long s = start[j.index()];
            if (s >= 0) {
                busy += (double) j.gpus() * Math.max(0, Math.min(to, s + j.run()) - Math.max(from, s));
            }
        }
        return busy / ((double) gpus * Math.max(1, to - from));
    }

    /** The started job that released its GPUs last. */
    Job lastToEnd() {
        return jobs.stream().filter(j -> start[j.index()] >= 0).max(Comparator.comparingLong(j -> start[j.index()] + j.run()))
                .orElseThrow();
    }

    /**
     * How well the ETAs told at submission came true, over the requests that queued and were told one. A request that
     * expired never started: it counts against the share on time and is left out of the error percentiles.
     */
    EtaQuality etaQuality() {
        long[] errors = jobs.stream().mapToInt(Job::index).filter(j -> eta[j] != NO_ETA && start[j] >= 0)
                .mapToLong(j -> Math.abs(start[j] - eta[j])).sorted().toArray();
        int told = (int) jobs.stream().mapToInt(Job::index).filter(j -> eta[j] != NO_ETA).count();
        long onTime = Arrays.stream(errors).filter(e -> e <= ON_TIME).count();
        return new EtaQuality(told, errors.length, errors.length == 0 ? 0 : Waits.rank(errors, 0.5),
                errors.length == 0 ? 0 : Waits.rank(errors, 0.9), told == 0 ? 0 : (double) onTime / told);
    }

    /** @param started of those told, how many started; the errors are |ETA - start| in seconds, nearest rank */
    record EtaQuality(int told, int started, long p50, long p90, double onTime) {
    }

    /** Jain's index over the users' mean bounded slowdowns: 1 when every user is slowed down alike. */
    double jain() {
        Map<String, double[]> perUser = new HashMap<>();
        for (Job j : jobs) {
            double[] acc = perUser.computeIfAbsent(j.user(), u -> new double[2]);
            acc[0] += j.slowdown(wait(j.index()));
            acc[1]++;
        }
        double sum = 0;
        double squares = 0;
        for (double[] acc : perUser.values()) {
            double mean = acc[0] / acc[1];
            sum += mean;
            squares += mean * mean;
        }
        return sum * sum / (perUser.size() * squares);
    }

    /** Wait statistics in seconds; nearest-rank percentiles. */
    record Waits(int jobs, int expired, double mean, long p50, long p95, long p99, long max) {
        static Waits of(long[] sorted, int expired) {
            if (sorted.length == 0) {
                return new Waits(0, 0, 0, 0, 0, 0, 0);
            }
            OptionalDouble mean = Arrays.stream(sorted).average();
            return new Waits(sorted.length, expired, mean.orElse(0), rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99),
                    sorted[sorted.length - 1]);
        }

        static long rank(long[] sorted, double p) {
            return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
        }
    }
}
