package dev.gpudev.adapters.github.testing;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import dev.gpudev.adapters.github.device.Poller;
import dev.gpudev.scheduler.testing.MutableClock;

/** Runs scheduled tasks only when the test says so, moving the clock by each task's delay first. */
public final class ManualPoller implements Poller {
    private record Task(Duration delay, Runnable run) {
    }

    private final MutableClock clock;
    private final Deque<Task> tasks = new ArrayDeque<>();
    public final List<Duration> delays = new ArrayList<>();

    public ManualPoller(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void schedule(Duration delay, Runnable task) {
        delays.add(delay);
        tasks.add(new Task(delay, task));
    }

    /** Runs the next task; false when none is scheduled. */
    public boolean runNext() {
        Task next;
        synchronized (this) {
            next = tasks.poll();
        }
        if (next == null) {
            return false;
        }
        clock.advance(next.delay());
        next.run().run();
        return true;
    }

    /** Runs tasks until none is left, at most {@code max}; returns how many ran. */
    public int runAll(int max) {
        int n = 0;
        while (n < max && runNext()) {
            n++;
        }
        return n;
    }

    public synchronized int scheduled() {
        return tasks.size();
    }
}
