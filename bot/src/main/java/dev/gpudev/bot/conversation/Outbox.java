package dev.gpudev.bot.conversation;

import dev.gpudev.scheduler.model.UserId;

/** A direct message to a person, as the platform sends one (for an admin's broadcast). */
@FunctionalInterface
public interface Outbox {
    void send(UserId to, Message message) throws Exception;
}
