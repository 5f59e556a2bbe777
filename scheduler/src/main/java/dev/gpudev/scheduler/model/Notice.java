package dev.gpudev.scheduler.model;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** Something the owner of a reservation should hear. Each carries the reservation as it is after the change. */
public sealed interface Notice {
    Reservation reservation();

    /** A message of its own (a reminder, the idle question), not an update of the reservation's one message. */
    default boolean ownMessage() {
        return this instanceof Reminder || this instanceof IdleQuestion;
    }

    /** Waiting: its place in the queue of its GPU type and, when the timeline knows it, the expected start. */
    record Queued(Reservation reservation, int position, @Nullable Instant eta) implements Notice {
    }

    /** Nodes were chosen and the server is being created; {@code reservation().detail()} says how far it got. */
    record Starting(Reservation reservation) implements Notice {
    }

    record Ready(Reservation reservation) implements Notice {
    }

    record Reminder(Reservation reservation, Duration left, boolean last) implements Notice {
    }

    /**
     * The idle policy's question, a message of its own: its GPUs were below the threshold for {@code idleFor}
     * ({@code meanUtil} percent on average, {@code peakMemoryMib} held at most, NaN when unknown). Keep silences it for
     * {@code snooze}; unanswered for {@code grace} while others wait for the type, it is released.
     */
    record IdleQuestion(Reservation reservation, Duration idleFor, double meanUtil, double peakMemoryMib, Duration grace,
                        Duration snooze) implements Notice {
    }

    record Extended(Reservation reservation) implements Notice {
    }

    /** How the running server is reached changed (Jupyter turned on or off): the ready message is redrawn. */
    record Changed(Reservation reservation) implements Notice {
    }

    /** A booking starts in {@code left}: sent once, {@code BookingLimits#reminder} before its start. */
    record BookingReminder(Reservation reservation, Duration left) implements Notice {
    }

    /** The end, with {@code reservation().endReason()} and {@code detail()} saying why. */
    record Ended(Reservation reservation) implements Notice {
    }
}
