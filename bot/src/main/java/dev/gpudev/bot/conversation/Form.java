package dev.gpudev.bot.conversation;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A form the bot opens (the reserve form), chat-neutral: its inputs in order, and after a refused submission the
 * error of each input that was wrong. {@code notice}, when not blank, is shown above the inputs (in {@link Markup}).
 */
public record Form(String id, String title, String submit, String close, String notice, List<Input> inputs,
                   Map<String, String> errors) {
    public Form {
        inputs = List.copyOf(inputs);
        errors = Map.copyOf(errors);
    }

    /** One input; {@code id} names it in the submitted values and in {@code errors}. */
    public sealed interface Input {
        String id();

        String label();

        /** Shown under the input (plain text), or blank. */
        String hint();

        boolean optional();
    }

    /** Pick one of {@code options}; {@code initial} is the value chosen at first, or null. */
    public record Choice(String id, String label, String hint, boolean optional, String placeholder, List<Option> options,
                         @Nullable String initial) implements Input {
        public Choice {
            options = List.copyOf(options);
        }
    }

    /** Tick any of {@code options}; {@code initial} are the values ticked at first. */
    public record Checks(String id, String label, String hint, boolean optional, List<Option> options, List<String> initial)
            implements Input {
        public Checks {
            options = List.copyOf(options);
            initial = List.copyOf(initial);
        }
    }

    /** Free text of at most {@code maxLength} characters. */
    public record Text(String id, String label, String hint, boolean optional, String placeholder, int maxLength,
                       String initial) implements Input {
    }

    /** An option of a choice: what the reader sees (plain text) and the value submitted. */
    public record Option(String label, String value) {
    }

    public Form withErrors(Map<String, String> byInput) {
        return new Form(id, title, submit, close, notice, inputs, byInput);
    }
}
