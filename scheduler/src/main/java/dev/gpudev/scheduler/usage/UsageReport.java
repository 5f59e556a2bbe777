package dev.gpudev.scheduler.usage;

import java.time.Instant;
import java.util.List;

/**
 * A usage report over {@code [from, to)}. {@code people} and {@code types} are the rows the asker may see; each list
 * sums to {@code total}. {@code cluster} is everyone's total (the same as {@code total} for an admin's report of
 * everyone).
 *
 * @param truncated the history read stopped at its cap, so older reservations may be missing
 */
public record UsageReport(Instant from, Instant to, UsagePeriod period, UsageScope scope, List<UsageRow> people, List<UsageRow> types,
                          UsageRow total, UsageRow cluster, boolean truncated) {
    /** What the figures leave out or estimate, said with every report. */
    public static final List<String> APPROXIMATE = List.of(
            "GPU time counts from the moment a server was ready (ACTIVE) to its end; starting (provisioning) is not counted.",
            "Busy share is the mean GPU utilization (DCGM_FI_DEV_GPU_UTIL) of the samples telemetry had, over the GPU-hours it had "
                    + "samples for; holes in the samples are left out, and a reservation without samples is not guessed.",
            "Queue waits run from the request to ACTIVE (provisioning included), for reservations that started in the window.",
            "Reclaimed idle hours are the GPU-hours still reserved when the idle policy released a reservation, or an unused booking "
                    + "was released.",
            "GPU time is rounded to the minute per reservation, so every sum is exact.");

    public UsageReport {
        people = List.copyOf(people);
        types = List.copyOf(types);
    }

    /** True when telemetry measured at least one visible GPU-hour. */
    public boolean busyKnown() {
        return total.measured() > 0;
    }
}
