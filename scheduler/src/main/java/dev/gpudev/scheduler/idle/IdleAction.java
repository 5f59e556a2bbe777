package dev.gpudev.scheduler.idle;

import java.time.Instant;

/** What the front-end and the scheduler must do after a step. */
public sealed interface IdleAction {
    IdleAction NONE = new None();

    record None() implements IdleAction {
    }

    /** DM the owner "idle for ... Still using it?" with Keep and Release. */
    record Ask(Activity.Known activity) implements IdleAction {
    }

    /** The question no longer applies (busy again, exempted, policy off): update the DM, drop the buttons. */
    record Withdraw(String why) implements IdleAction {
    }

    /** Keep pressed: confirm, say until when. */
    record Snooze(Instant until) implements IdleAction {
    }

    /** The owner pressed Release: cancel the reservation as the owner would. */
    record ReleaseByOwner() implements IdleAction {
    }

    /** Unanswered past the grace while others wait: release it, tell the owner why, count it as reclaimed idle. */
    record Reclaim(Instant askedAt, Activity.Known activity) implements IdleAction {
    }
}
