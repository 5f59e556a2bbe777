package dev.gpudev.bot.runtime;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Every executor the bot creates. Platform threads are daemons, so a pool nobody closed never keeps the JVM alive;
 * every thread is named {@code name-N}, so a thread dump says whose it is.
 */
public final class Threads {
    private static final System.Logger LOG = System.getLogger(Threads.class.getName());
    /** How long a closing pool may finish what it took: two of them fit Kubernetes' default 30 s termination grace. */
    public static final Duration GRACE = Duration.ofSeconds(10);

    private Threads() {
    }

    /**
     * Takes no more work and lets {@code pool} finish what it took (queued included) for up to {@code grace}; then
     * interrupts it and logs how much was dropped, never silently.
     */
    public static void drain(ExecutorService pool, String name, Duration grace) {
        pool.shutdown();
        try {
            if (pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int dropped = pool.shutdownNow().size();
        LOG.log(System.Logger.Level.WARNING, name + " did not finish within " + grace.toSeconds() + " s: " + dropped
                + " queued task(s) dropped, running ones interrupted");
    }

    public static ThreadFactory daemon(String name) {
        return Thread.ofPlatform().name(name + "-", 0).daemon().factory();
    }

    /** Daemons of the lowest priority: work that must yield to the acks (docs/conversation.md). */
    public static ThreadFactory background(String name) {
        return Thread.ofPlatform().name(name + "-", 0).daemon().priority(Thread.MIN_PRIORITY).factory();
    }

    public static ScheduledExecutorService scheduled(String name, int threads) {
        return Executors.newScheduledThreadPool(threads, daemon(name));
    }

    /** One thread: what it runs, runs in order. */
    public static ScheduledExecutorService serial(String name) {
        return Executors.newSingleThreadScheduledExecutor(daemon(name));
    }

    /** One thread of the lowest priority: what it runs, runs in order, after the acks. */
    public static ScheduledExecutorService scheduledBackground(String name) {
        return Executors.newSingleThreadScheduledExecutor(background(name));
    }

    /** A fixed number of threads taking turns at an unbounded queue. */
    public static ExecutorService fixed(String name, int threads) {
        return Executors.newFixedThreadPool(threads, daemon(name));
    }

    /** A virtual thread per task, for work that mostly waits (Slack and GitHub calls). */
    public static ExecutorService virtual(String name) {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-", 0).factory());
    }
}
