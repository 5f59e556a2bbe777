package dev.gpudev.bot.bench;

import java.util.Arrays;

/**
 * What one target did under load: the latency of every answered request (from its scheduled send time, so a
 * stalled server is charged for the requests it delayed) and the count of errors.
 *
 * @param nanos  latencies of the requests answered as expected, sorted
 * @param errors requests that failed, timed out, or got an unexpected answer
 * @param cpuNanos CPU time the whole process used while the load ran (generator and Slack stub included)
 */
public record Latencies(String target, long[] nanos, int errors, long cpuNanos) {
    public Latencies {
        nanos = nanos.clone();
        Arrays.sort(nanos);
    }

    public int requests() {
        return nanos.length + errors;
    }

    /** Nearest-rank percentile in milliseconds; NaN when nothing was answered. */
    public double percentileMs(double p) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * nanos.length);
        return nanos[Math.clamp(rank - 1, 0, nanos.length - 1)] / 1e6;
    }

    /** Process CPU per request: steadier than latency on a shared machine, meaningful when one target ran alone. */
    public double cpuMsPerRequest() {
        return cpuNanos / 1e6 / Math.max(1, requests());
    }

    public double maxMs() {
        return nanos.length == 0 ? Double.NaN : nanos[nanos.length - 1] / 1e6;
    }
}
