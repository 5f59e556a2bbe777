package dev.gpudev.bot.conversation;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.Durations;

/** The reserve form: its inputs (built by {@code Views.reserveForm}) and the reading of a submission. */
public final class ReserveForm {
    public static final String ID = "reserve_modal";
    public static final String TYPE = "type";
    public static final String GPUS = "gpus";
    public static final String DURATION = "duration";
    public static final String CUSTOM = "custom";
    public static final String OPTIONS = "options";
    public static final String JUPYTER = "jupyter";
    public static final String USERS = "users";
    public static final String IMAGE = "image";
    /** The durations offered as a choice; any other is typed into {@link #CUSTOM}. */
    public static final List<Duration> PRESETS = List.of(Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1),
            Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8), Duration.ofHours(12), Duration.ofHours(24));

    private ReserveForm() {
    }

    /** Either a complete command or, per input, what is wrong. */
    public sealed interface Submission {
        record Ok(Command.Reserve command) implements Submission {
        }

        record Errors(Map<String, String> byInput) implements Submission {
            public Errors {
                byInput = Map.copyOf(byInput);
            }
        }
    }

    /** @param values per input id, the chosen option values or the typed text (absent or empty: nothing given) */
    public static Submission read(Map<String, List<String>> values) {
        Map<String, String> errors = new LinkedHashMap<>();
        String type = first(values, TYPE);
        String gpus = first(values, GPUS);
        String preset = first(values, DURATION);
        String custom = first(values, CUSTOM);
        Duration duration = null;
        if (custom != null && !custom.isBlank()) {
            duration = Durations.parse(custom.strip()).orElse(null);
            if (duration == null) {
                errors.put(CUSTOM, "Write a duration like 90m, 2h or 1h30m.");
            }
        } else if (preset != null && PRESETS.stream().anyMatch(d -> d.toString().equals(preset))) {
            duration = Duration.parse(preset);
        } else {
            errors.put(DURATION, "Choose a duration, or type one below.");
        }
        if (type == null) {
            errors.put(TYPE, "Choose a GPU type.");
        }
        if (gpus == null || !gpus.matches("\\d{1,4}")) {
            errors.put(GPUS, "Choose how many GPUs.");
        }
        if (!errors.isEmpty()) {
            return new Submission.Errors(errors);
        }
        boolean jupyter = values.getOrDefault(OPTIONS, List.of()).contains(JUPYTER);
        String users = first(values, USERS);
        List<String> logins = users == null ? List.of()
                : Arrays.stream(users.split("[,\\s]+")).map(s -> s.replaceFirst("^@", "")).filter(s -> !s.isBlank()).toList();
        String image = first(values, IMAGE);
        return new Submission.Ok(new Command.Reserve(type, Integer.parseInt(gpus), duration, jupyter, logins, null,
                image == null || image.isBlank() ? null : image.strip()));
    }

    private static @Nullable String first(Map<String, List<String>> values, String input) {
        List<String> v = values.get(input);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }
}
