package dev.gpudev.bot.discord;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.gpudev.bot.conversation.Reply;
import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.command.Command;

/**
 * What the bot answers, as the Discord front-end asks for it: the chat-neutral conversation seen through the three
 * kinds of interaction. {@code key} names the delivery (an interaction, or a button as drawn on one message), so that
 * a replay takes effect once.
 */
public interface Answers {
    Reply command(Actor actor, Command command, @Nullable String key);

    Reply press(Actor actor, String action, String value, @Nullable String key);

    /** @param values per input id of the reserve form, the chosen option values or the typed text */
    Reply submit(Actor actor, Map<String, List<String>> values, @Nullable String key);
}
