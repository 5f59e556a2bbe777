package dev.gpudev.scheduler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.UserId;

/** {@link QueuePolicy#GPU_DEV_BOT}. */
record BotPolicy() implements QueuePolicy {
    @Override
    public String label() {
        return "gpu-dev-bot";
    }

    @Override
    public int reservations() {
        return 32;
    }

    @Override
    public List<Reservation> order(List<Reservation> queue, Set<UserId> holders, Limits limits, Instant now, Duration backlog) {
        return QueueOrder.order(queue, holders, limits, now, backlog);
    }
}
