package dev.gpudev.scheduler.model;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Where a reservation stands with the idle policy, kept with it so a restart neither asks twice nor shortens the grace.
 * The rules that read and change it live in {@code dev.gpudev.scheduler.idle.IdleMarks}.
 *
 * @param idleSince when its GPUs were last seen going idle (known idle for a whole window); null while busy or unknown
 * @param askedAt   when the open question was issued; null when none is open
 * @param shownAt   when the front-end confirmed showing the open question: the grace counts from here, never from before
 * @param keptUntil until when the owner's Keep silences the question
 * @param questions how many questions were issued over the reservation's life
 */
public record IdleMark(@Nullable Instant idleSince, @Nullable Instant askedAt, @Nullable Instant shownAt,
                       @Nullable Instant keptUntil, int questions) {
    public static final IdleMark NONE = new IdleMark(null, null, null, null, 0);

    public IdleMark {
        if (questions < 0) {
            throw new IllegalArgumentException("questions asked cannot be negative: " + questions);
        }
        if (shownAt != null && askedAt == null) {
            throw new IllegalArgumentException("a question shown must have been asked");
        }
    }
}
