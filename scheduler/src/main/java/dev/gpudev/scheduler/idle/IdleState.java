package dev.gpudev.scheduler.idle;

import java.time.Instant;

/** Where one reservation stands with the idle policy. A value to persist with the reservation, so a restart neither asks twice nor shortens the grace. */
public sealed interface IdleState {
    IdleState WATCHING = new Watching();

    /** Nothing asked; each tick looks at the activity. */
    record Watching() implements IdleState {
    }

    /** The owner was asked at {@code at} and has not answered. */
    record Asked(Instant at) implements IdleState {
    }

    /** The owner pressed Keep: no question before {@code until}. */
    record Snoozed(Instant until) implements IdleState {
    }

    /** Released (by its owner or reclaimed): the policy has nothing more to do with it. */
    record Done() implements IdleState {
    }
}
