package dev.gpudev.scheduler.idle;

import java.time.Duration;

/**
 * When a reservation of one GPU type counts as idle and what follows.
 *
 * @param enabled   false: never ask, never reclaim (the type is off)
 * @param threshold a GPU below this utilization (percent) is idle; one sample at or above it makes the window busy
 * @param idleFor   how long every GPU must stay below the threshold before the owner is asked
 * @param grace     how long an unanswered question waits before the reservation may be reclaimed (only while others wait)
 * @param snooze    how long Keep silences the question
 * @param maxGap    the longest hole in a GPU's samples that still counts as covered; a longer one makes the window unknown
 */
public record IdleRule(boolean enabled, double threshold, Duration idleFor, Duration grace, Duration snooze, Duration maxGap) {
    public static final IdleRule OFF = new IdleRule(false, 5, Duration.ofMinutes(30), Duration.ofMinutes(20),
            Duration.ofHours(2), Duration.ofMinutes(5));

    public IdleRule {
        if (!(threshold > 0 && threshold <= 100)) {
            throw new IllegalArgumentException("the idle threshold must be above 0 and at most 100 %: " + threshold);
        }
        for (Duration d : new Duration[] {idleFor, grace, snooze, maxGap}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("idle durations must be positive: " + d);
            }
        }
        if (maxGap.compareTo(idleFor) >= 0) {
            throw new IllegalArgumentException("the sample gap allowed (" + maxGap + ") must be shorter than idle-for (" + idleFor + ")");
        }
    }

    /** The documented defaults: below 5 % for 30 min, 20 min grace, Keep snoozes 2 h, samples at most 5 min apart. */
    public static IdleRule defaults() {
        return new IdleRule(true, 5, Duration.ofMinutes(30), Duration.ofMinutes(20), Duration.ofHours(2), Duration.ofMinutes(5));
    }

    public IdleRule off() {
        return new IdleRule(false, threshold, idleFor, grace, snooze, maxGap);
    }
}
