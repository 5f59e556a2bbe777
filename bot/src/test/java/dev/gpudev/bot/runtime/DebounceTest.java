package dev.gpudev.bot.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Time and the delayed tasks are moved by hand: no sleeps, no real executor. */
class DebounceTest {
    private static final Duration INTERVAL = Duration.ofMillis(250);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<Task> queued = new ArrayList<>();
    private final List<Long> runs = new ArrayList<>();
    private Runnable whileRunning = () -> { };
    private final Debounce debounce = new Debounce(INTERVAL, (wait, task) -> queued.add(new Task(nanos.get() + wait.toNanos(), task)),
            nanos::get, () -> {
                runs.add(nanos.get());
                whileRunning.run();
            });

    private record Task(long due, Runnable task) {
    }

    /** Moves time forward by {@code d}, running each task that falls due on the way, in due order. */
    private void advance(Duration d) {
        long end = nanos.get() + d.toNanos();
        while (true) {
            Task next = queued.stream().filter(t -> t.due() <= end).min((a, b) -> Long.compare(a.due(), b.due())).orElse(null);
            if (next == null) {
                break;
            }
            queued.remove(next);
            nanos.set(Math.max(nanos.get(), next.due()));
            next.task().run();
        }
        nanos.set(end);
    }

    private long at(Duration sinceStart) {
        return 1_000_000_000L + sinceStart.toNanos();
    }

    @Test
    void aLoneRequestRunsAtOnce() {
        debounce.request();
        advance(Duration.ZERO);

        assertThat(runs).containsExactly(at(Duration.ZERO));
    }

    @Test
    void aBurstRunsOnceMoreWhenTheIntervalSinceTheLastRunIsOver() {
        debounce.request();
        advance(Duration.ofMillis(10));
        for (int i = 0; i < 5; i++) {
            debounce.request();
            advance(Duration.ofMillis(20));
        }
        advance(Duration.ofSeconds(1));

        assertThat(runs).containsExactly(at(Duration.ZERO), at(INTERVAL));
    }

    @Test
    void aRequestAfterAQuietIntervalRunsAtOnce() {
        debounce.request();
        advance(Duration.ofMillis(400));
        debounce.request();
        advance(Duration.ZERO);

        assertThat(runs).containsExactly(at(Duration.ZERO), at(Duration.ofMillis(400)));
    }

    @Test
    void aRequestWhileTheActionRunsIsNotLost() {
        whileRunning = () -> {
            if (runs.size() == 1) {
                debounce.request();
            }
        };
        debounce.request();
        advance(Duration.ofSeconds(1));

        assertThat(runs).containsExactly(at(Duration.ZERO), at(INTERVAL));
    }

    @Test
    void requestsToAShutDownExecutorAreIgnored() {
        var executor = Executors.newSingleThreadScheduledExecutor();
        executor.shutdownNow();
        Debounce closed = Debounce.on(executor, INTERVAL, () -> runs.add(0L));

        assertThatCode(() -> {
            closed.request();
            closed.request();
        }).doesNotThrowAnyException();
        assertThat(runs).isEmpty();
    }

    @Test
    void aNegativeIntervalIsRefused() {
        assertThatCode(() -> new Debounce(Duration.ofMillis(-1), (w, t) -> { }, System::nanoTime, () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }
}
