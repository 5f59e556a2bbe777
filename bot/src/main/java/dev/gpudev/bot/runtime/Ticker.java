package dev.gpudev.bot.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.gpudev.scheduler.service.ReservationService;

/**
 * Wakes the service exactly when its timeline has work (a reminder, an expiry, a timeout), and at least every
 * {@code maxSleep} so a clock that jumps (a test's clock, the sandbox's {@code :advance}) is noticed.
 *
 * <p>Finding the next wake-up reads every live reservation, so it runs on the ticker's thread, not in the service's
 * watcher (which holds the service's lock), and at most once per {@link #COALESCE}: a burst of changes costs one
 * look-up, a wake-up found at most that much later. A lone change is looked at at once.
 */
public final class Ticker implements AutoCloseable {
    private static final Duration COALESCE = Duration.ofMillis(250);
    private final ReservationService service;
    private final Clock clock;
    private final double timeScale;
    private final Duration maxSleep;
    private final ScheduledExecutorService executor = Threads.serial("ticker");
    private final Debounce changes = Debounce.on(executor, COALESCE, this::reschedule);
    private ScheduledFuture<?> next;

    public Ticker(ReservationService service, Clock clock, double timeScale, Duration maxSleep) {
        this.service = service;
        this.clock = clock;
        this.timeScale = timeScale;
        this.maxSleep = maxSleep;
    }

    public void start() {
        service.watch(state -> changes.request());
        reschedule();
    }

    private synchronized void reschedule() {
        Instant now = clock.instant();
        long realMillis = service.nextWakeup()
                .map(at -> (long) (Math.max(0, Duration.between(now, at).toMillis()) / timeScale))
                .orElse(Long.MAX_VALUE);
        long delay = Math.min(realMillis, maxSleep.toMillis());
        if (next != null && next.getDelay(TimeUnit.MILLISECONDS) <= delay && !next.isDone()) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        next = executor.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            service.tick();
        } finally {
            synchronized (this) {
                next = null;
            }
            reschedule();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
