package dev.gpudev.scheduler.idle;

import java.time.Instant;

/** What moves the idle state machine: a timer tick with the latest activity, or the owner's answer. */
public sealed interface IdleInput {
    Instant now();

    /**
     * @param activity      the reservation's activity over the rule's idle-for window ending now
     * @param othersWaiting whether someone is queued for this GPU type
     */
    record Tick(Instant now, Activity activity, boolean othersWaiting) implements IdleInput {
    }

    record Keep(Instant now) implements IdleInput {
    }

    record Release(Instant now) implements IdleInput {
    }
}
