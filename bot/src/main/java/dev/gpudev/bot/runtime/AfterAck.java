package dev.gpudev.bot.runtime;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.gpudev.bot.config.SlackSettings;

/**
 * The work after an acknowledgement (reserving, extending, answering through a response URL, publishing a page): a
 * bounded pool of its own, so that however much of it piles up, the acks keep a core. {@code threads} platform threads
 * (by default one fewer than the cores, at least one) take it from a queue of {@code capacity}; a full queue refuses at
 * once ({@link java.util.concurrent.RejectedExecutionException}), and the ack says so instead of taking work it cannot do.
 * Never a request thread, and never the virtual threads' carriers, which Helidon's requests run on. Its threads have the
 * lowest priority, which the JVM hands to Linux as a nice value under {@code -XX:ThreadPriorityPolicy=1} (the image sets
 * it; lowering needs no privilege): when the cores are busy, the acks' threads get the larger share.
 */
public final class AfterAck implements Executor, AutoCloseable {
    private final ThreadPoolExecutor pool;

    public AfterAck(int threads, int capacity) {
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
                Threads.background("after-ack"), new ThreadPoolExecutor.AbortPolicy());
    }

    public AfterAck(SlackSettings.AfterAck settings) {
        this(settings.threads(), settings.queue());
    }

    @Override
    public void execute(Runnable work) {
        pool.execute(work);
    }

    /** Work waiting for a thread. */
    public int queued() {
        return pool.getQueue().size();
    }

    /** Finishes what was acknowledged (queued included) for up to {@link Threads#GRACE}: an ack promised it. */
    @Override
    public void close() {
        Threads.drain(pool, "the work after acks", Threads.GRACE);
    }
}
