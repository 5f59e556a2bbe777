package dev.gpudev.bot.runtime;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Runs an action at most once per interval however often it is requested. A request after a quiet interval runs at
 * once; the requests of a burst become one run, when the interval since the last run is over. A request made while
 * the action runs is not lost: it runs once more.
 */
public final class Debounce {
    /** Runs a task once after a delay; the bot's is a scheduled executor, a test's runs tasks by hand. */
    public interface Delay {
        void after(Duration wait, Runnable task);
    }

    private final Duration interval;
    private final Delay delay;
    private final LongSupplier nanoTime;
    private final Runnable action;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean ran;
    private volatile long lastRunNanos;

    public Debounce(Duration interval, Delay delay, LongSupplier nanoTime, Runnable action) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("a debounce interval cannot be negative: " + interval);
        }
        this.interval = interval;
        this.delay = delay;
        this.nanoTime = nanoTime;
        this.action = action;
    }

    public static Debounce on(ScheduledExecutorService executor, Duration interval, Runnable action) {
        return new Debounce(interval, (wait, task) -> executor.schedule(task, wait.toNanos(), TimeUnit.NANOSECONDS), System::nanoTime, action);
    }

    public void request() {
        if (!pending.compareAndSet(false, true)) {
            return;
        }
        long wait = ran ? Math.max(0, lastRunNanos + interval.toNanos() - nanoTime.getAsLong()) : 0;
        try {
            delay.after(Duration.ofNanos(wait), this::run);
        } catch (RejectedExecutionException closed) {
            // shut down: nothing will run any more, and nothing needs to
        }
    }

    private void run() {
        pending.set(false);
        lastRunNanos = nanoTime.getAsLong();
        ran = true;
        action.run();
    }
}
