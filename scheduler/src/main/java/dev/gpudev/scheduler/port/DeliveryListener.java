package dev.gpudev.scheduler.port;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.Notice;

/**
 * What a front-end reports about the notices a {@link Notifier} was given, so that a Ready message or a reminder is
 * never silently lost: the service records what was delivered and issues again what was not.
 */
public interface DeliveryListener {
    /** The owner was shown {@code notice}; {@code chatRef} is the message the front-end updates in place, if any. */
    void delivered(Notice notice, @Nullable String chatRef);

    /** The front-end gave up on {@code notice} after its retries. */
    void undelivered(Notice notice);
}
