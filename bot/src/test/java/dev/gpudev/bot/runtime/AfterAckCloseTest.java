package dev.gpudev.bot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/**
 * Closing the work after acks finishes what was acknowledged, the queued work included: each was answered "on it"
 * (":hourglass: Reserving…"), and Slack does not send it again. Before, close dropped the queue and interrupted the rest.
 */
class AfterAckCloseTest {
    @Test
    void closingFinishesTheRunningAndTheQueuedWork() throws InterruptedException {
        AfterAck work = new AfterAck(1, 4);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean firstFinished = new AtomicBoolean();
        AtomicBoolean queuedRan = new AtomicBoolean();
        work.execute(() -> {
            running.countDown();
            try {
                release.await();
                firstFinished.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        work.execute(() -> queuedRan.set(true));
        running.await();

        Thread closing = Thread.ofPlatform().start(work::close);
        while (closing.isAlive() && closing.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        release.countDown();
        closing.join();

        assertThat(firstFinished).as("the running work was not interrupted").isTrue();
        assertThat(queuedRan).as("the queued work ran").isTrue();
    }
}
