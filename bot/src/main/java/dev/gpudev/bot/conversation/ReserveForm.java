package dev.gpudev.bot.conversation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.app.Board;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.model.GpuType;

/** The reserve form opened by {@code /gpu reserve} with parts missing (or a button), and the reading of its submission. */
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
    public static final String START = "start";
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

    /**
     * The form, filled in with what {@code partial} already says: the types the cluster has nodes of with their free
     * GPUs, the counts and preset durations that can be asked for, Jupyter only where the cluster offers it, and an
     * image input only where a request may name one.
     */
    public static Form form(Board board, Command.Reserve partial) {
        Board.FormOptions offer = board.form();
        List<Form.Option> types = board.types().stream().map(t -> new Form.Option(Markup.truncate(t.name().toUpperCase(Locale.ROOT)
                + " — " + t.free() + "/" + t.total() + " free", 75), t.name())).toList();
        TreeSet<Integer> counts = new TreeSet<>();
        for (GpuType t : offer.catalog().types()) {
            counts.addAll(board.type(t.name()).map(Board.TypeStatus::validCounts).orElseGet(() -> t.validCounts(1)));
        }
        List<Form.Option> countOptions = counts.stream().limit(100).map(c -> new Form.Option(c + (c == 1 ? " GPU" : " GPUs"), String.valueOf(c))).toList();
        List<Form.Option> durations = PRESETS.stream().map(d -> new Form.Option(Durations.format(d), d.toString())).toList();
        String type = partial.gpuType() == null ? null : offer.catalog().find(partial.gpuType()).map(GpuType::name)
                .filter(n -> types.stream().anyMatch(o -> o.value().equals(n))).orElse(null);
        String gpus = partial.gpus() != null && counts.contains(partial.gpus()) ? String.valueOf(partial.gpus()) : null;
        String duration = partial.duration() != null && PRESETS.contains(partial.duration()) ? partial.duration().toString() : null;

        List<Form.Input> inputs = new ArrayList<>();
        if (!types.isEmpty()) {
            inputs.add(new Form.Choice(TYPE, "GPU type", "", false, "Choose a type", types, type));
        }
        inputs.add(new Form.Choice(GPUS, "GPUs", "1, 2, 4 or 8 on one node; 16 or more are whole nodes (8-GPU types).", false,
                "How many", countOptions, gpus));
        inputs.add(new Form.Choice(DURATION, "Duration", "", true, "Choose one, or type below", durations, duration));
        inputs.add(new Form.Text(CUSTOM, "Or another duration", "", true, "e.g. 90m or 1h30m", 16, ""));
        if (offer.jupyter()) {
            inputs.add(new Form.Checks(OPTIONS, "Options", "", true, List.of(new Form.Option("Start Jupyter too", JUPYTER)),
                    partial.jupyter() ? List.of(JUPYTER) : List.of()));
        }
        inputs.add(new Form.Text(START, "Start later (a booking)", "Empty: as soon as GPUs are free. In your time zone.", true,
                "e.g. thu 10:00, tomorrow 9am, 2026-12-10T10:00", 40, partial.at() == null ? "" : partial.at()));
        inputs.add(new Form.Text(USERS, "Also let in (GitHub logins)", "", true, "comma separated, e.g. octocat, hubot", 500,
                String.join(", ", partial.addUsers())));
        if (offer.images().offersChoice()) {
            inputs.add(new Form.Text(IMAGE, "Container image", Markup.truncate(offer.images().hint(), 2000), true, "the default image", 255, ""));
        }
        return new Form(ID, "Reserve GPUs", "Reserve", "Cancel", types.isEmpty() ? "This cluster has no GPU nodes yet." : "",
                inputs, Map.of());
    }

    /** The input a refusal of a submitted (complete) form belongs to, so the form shows it next to that input. */
    public static String inputFor(Command.Reserve submitted, String reason, Board board) {
        Duration d = submitted.duration();
        if (submitted.gpuType() == null || board.form().catalog().find(submitted.gpuType()).isEmpty()) {
            return TYPE;
        }
        if (d != null && (d.compareTo(board.limits().minDuration()) < 0 || d.compareTo(board.limits().maxDuration()) > 0)) {
            return PRESETS.contains(d) ? DURATION : CUSTOM;
        }
        if (submitted.jupyter() && !board.form().jupyter()) {
            return GPUS;
        }
        if (reason.contains("GitHub login")) {
            return USERS;
        }
        return reason.contains("image") ? IMAGE : GPUS;
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
        String start = first(values, START);
        return new Submission.Ok(new Command.Reserve(type, Integer.parseInt(gpus), duration, jupyter, logins, null,
                image == null || image.isBlank() ? null : image.strip(), start == null || start.isBlank() ? null : start.strip(), null));
    }

    private static @Nullable String first(Map<String, List<String>> values, String input) {
        List<String> v = values.get(input);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }
}
