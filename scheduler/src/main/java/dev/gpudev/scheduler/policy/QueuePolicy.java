package dev.gpudev.scheduler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.UserId;

/**
 * How a queue is served: in which order, how many waiting requests are promised their start, and whether a request may
 * pass one that waits. {@link #GPU_DEV_BOT} is this project's policy; the trace replay plugs in others to compare.
 */
public interface QueuePolicy {
    /** Fair share, shortest-first with ageing ({@link QueueOrder}), promises for the first 32 waiting requests, backfill around them. */
    QueuePolicy GPU_DEV_BOT = new BotPolicy();

    String label();

    /** How many waiting requests get a protected start time that later requests must not delay. */
    int reservations();

    /** Whether a request may start while one ordered before it waits (backfill); without, nothing passes a waiting request. */
    default boolean backfill() {
        return true;
    }

    /**
     * The queue in the order it is served.
     *
     * @param holders users who hold GPUs of this type now
     * @param backlog the time the type's GPUs, all together, need for the work running and queued
     */
    List<Reservation> order(List<Reservation> queue, Set<UserId> holders, Limits limits, Instant now, Duration backlog);
}
