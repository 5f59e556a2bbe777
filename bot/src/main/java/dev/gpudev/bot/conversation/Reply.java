package dev.gpudev.bot.conversation;

import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * What a platform does with a command, a button press or a form submission, as {@link Conversation} decided it. Every
 * reply is an answer within the platform's acknowledgement window; {@link Later} also names work for afterwards.
 */
public sealed interface Reply {
    /** Answer {@code message} at once, to the asker only. */
    record Now(Message message) implements Reply {
    }

    /**
     * Acknowledge (with {@code ack}, or with nothing visible when null), then run {@code work} after the
     * acknowledgement, off the request thread; each message it sends goes to the asker only (a command's or press's
     * response; for a form, a direct message).
     */
    record Later(@Nullable Message ack, Work work) implements Reply {
    }

    /** Open {@code form}; where the platform cannot, answer {@code fallback}. */
    record Open(Form form, Message fallback) implements Reply {
    }

    /** A submitted form was wrong: show the form again with the error next to each input named (nothing happened). */
    record Invalid(Map<String, String> errors) implements Reply {
        public Invalid {
            errors = Map.copyOf(errors);
        }
    }

    /** Work after the acknowledgement; {@code reply} sends a message to the asker. */
    @FunctionalInterface
    interface Work {
        void run(Consumer<Message> reply) throws Exception;
    }
}
