package dev.gpudev.bot.bench;

import java.util.Arrays;

/**
 * What one target did under load: the latency of every request, from its scheduled send time (so a stalled
 * server is charged for the requests it delayed), in the order they were sent.
 *
 * @param nanos    latency of request {@code i}, or {@link #ERROR} if it failed, timed out or got an unexpected answer
 * @param cpuNanos CPU time the whole process used while the load ran (generator and Slack stub included)
 * @param maxSendLagNanos how late the generator sent its latest request (a starved client; counted in the latencies)
 */
public record Latencies(String target, long[] nanos, long cpuNanos, long maxSendLagNanos) {
    public static final long ERROR = -1;

    public Latencies {
        nanos = nanos.clone();
    }

    public int requests() {
        return nanos.length;
    }

    public int errors() {
        return (int) Arrays.stream(nanos).filter(n -> n == ERROR).count();
    }

    /** Nearest-rank percentile of the answered requests in milliseconds; NaN when none was answered. */
    public double percentileMs(double p) {
        return percentileMs(p, 0, nanos.length);
    }

    /** The same over requests {@code from} (inclusive) to {@code to} (exclusive) only, to see a trend over the run. */
    public double percentileMs(double p, int from, int to) {
        long[] ok = Arrays.stream(nanos, from, to).filter(n -> n != ERROR).sorted().toArray();
        if (ok.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * ok.length);
        return ok[Math.clamp(rank - 1, 0, ok.length - 1)] / 1e6;
    }

    public double maxMs() {
        return percentileMs(100);
    }

    /** Process CPU per request: steadier than latency on a shared machine, meaningful when one target ran alone. */
    public double cpuMsPerRequest() {
        return cpuNanos / 1e6 / Math.max(1, requests());
    }
}
