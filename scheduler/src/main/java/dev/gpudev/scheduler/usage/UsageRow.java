package dev.gpudev.scheduler.usage;

import java.time.Duration;
import java.util.Optional;

/**
 * One line of a report: a person, a GPU type, or a total. Every figure is a sum, so rows add up to their total.
 *
 * @param reservations     reservations that held GPUs (were ACTIVE) during the window
 * <p>GPU time is in whole GPU-minutes, rounded per reservation, so that every displayed sum is exact.
 *
 * @param reserved         GPU-minutes held during the window (from ACTIVE to the end, cut to the window)
 * @param measured         the part of {@code reserved} for which telemetry had samples
 * @param busy             of the measured part, GPU-minutes × the mean GPU utilization of the samples
 * @param reclaimed        GPU-minutes handed back early by reservations that ended {@code RECLAIMED_IDLE} or (an unused booking) {@code UNUSED} in the window
 * @param started          reservations that became ACTIVE in the window (whose queue wait is counted)
 * @param waitTotal        the sum of their waits, from the request to ACTIVE
 * @param waitMax          the longest of them
 */
public record UsageRow(String key, int reservations, long reserved, long measured, long busy,
                       long reclaimed, int started, Duration waitTotal, Duration waitMax) {
    public static UsageRow empty(String key) {
        return new UsageRow(key, 0, 0, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO);
    }

    public UsageRow plus(UsageRow o) {
        return new UsageRow(key, reservations + o.reservations, reserved + o.reserved, measured + o.measured,
                busy + o.busy, reclaimed + o.reclaimed, started + o.started, waitTotal.plus(o.waitTotal),
                waitMax.compareTo(o.waitMax) >= 0 ? waitMax : o.waitMax);
    }

    public UsageRow named(String name) {
        return new UsageRow(name, reservations, reserved, measured, busy, reclaimed, started, waitTotal, waitMax);
    }

    /** Busy over measured GPU time; empty when telemetry measured nothing ("busy share unknown"). */
    public Optional<Double> busyShare() {
        return measured > 0 ? Optional.of((double) busy / measured) : Optional.empty();
    }

    public static double hours(long gpuMinutes) {
        return gpuMinutes / 60.0;
    }

    public Optional<Duration> meanWait() {
        return started == 0 ? Optional.empty() : Optional.of(waitTotal.dividedBy(started));
    }
}
