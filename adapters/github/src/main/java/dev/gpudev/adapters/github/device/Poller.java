package dev.gpudev.adapters.github.device;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs a task once after a delay. Tests drive it by hand; the bot passes its scheduled executor. */
@FunctionalInterface
public interface Poller {
    void schedule(Duration delay, Runnable task);

    static Poller of(ScheduledExecutorService executor) {
        return (delay, task) -> executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}
