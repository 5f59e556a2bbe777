package dev.gpudev.scheduler.policy;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * The configurable bounds of the policy.
 *
 * @param reminders          lead times before the end at which the owner is reminded, e.g. 30, 15 and 5 minutes
 * @param maxGpusPerUser     GPUs one user may hold or queue at once, over all types
 * @param maxNodesPerRequest whole nodes one multi-node request may take
 * @param provisionTimeout   a server not ready by then fails and is cleaned up
 */
public record Limits(Duration minDuration, Duration maxDuration, Duration maxExtension, Duration maxTotal,
                     Duration queueTimeout, List<Duration> reminders, int maxGpusPerUser, int maxNodesPerRequest,
                     boolean fairShare, Duration provisionTimeout) {
    public Limits {
        reminders = reminders.stream().sorted(Comparator.reverseOrder()).distinct().toList();
        if (minDuration.compareTo(maxDuration) > 0 || maxDuration.compareTo(maxTotal) > 0) {
            throw new IllegalArgumentException("durations must satisfy min <= max <= total");
        }
    }

    public static Limits defaults() {
        return new Limits(Duration.ofMinutes(5), Duration.ofHours(24), Duration.ofHours(24), Duration.ofHours(48),
                Duration.ofHours(48), List.of(Duration.ofMinutes(30), Duration.ofMinutes(15), Duration.ofMinutes(5)),
                16, 4, true, Duration.ofMinutes(15));
    }
}
