package dev.gpudev.scheduler.usage;

/** A report, or why the asker may not have it (nothing was read). */
public sealed interface UsageOutcome {
    record Report(UsageReport report) implements UsageOutcome {
    }

    record Refused(String why) implements UsageOutcome {
    }
}
