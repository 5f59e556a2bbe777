package dev.gpudev.bot.views;

import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.option;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.checkboxes;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;
import static com.slack.api.model.block.element.BlockElements.staticSelect;
import static com.slack.api.model.view.Views.view;
import static com.slack.api.model.view.Views.viewClose;
import static com.slack.api.model.view.Views.viewSubmit;
import static com.slack.api.model.view.Views.viewTitle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.app.Board;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.policy.ImagePolicy;

/** The reserve form opened by {@code /gpu reserve} with parts missing, and the reading of its submission. */
public final class ReserveModal {
    public static final String CALLBACK = "reserve_modal";
    static final List<Duration> PRESETS = List.of(Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1),
            Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8), Duration.ofHours(12), Duration.ofHours(24));

    private ReserveModal() {
    }

    /** Either a complete command or, per input block, what is wrong. */
    public sealed interface Submission {
        record Ok(Command.Reserve command) implements Submission {
        }

        record Errors(Map<String, String> byBlock) implements Submission {
        }
    }

    /** The form as {@code board} offers it: the types with nodes (and how much is free), counts, durations, options. */
    public static View form(Board board, Command.Reserve partial) {
        Board.FormOptions offered = board.form();
        boolean jupyter = offered.jupyter();
        ImagePolicy images = offered.images();
        List<OptionObject> types = new ArrayList<>();
        TreeSet<Integer> counts = new TreeSet<>();
        for (Board.TypeStatus t : board.types()) {
            types.add(option(plainText(Texts.truncate(t.name().toUpperCase(Locale.ROOT) + " — " + t.free() + "/" + t.total() + " free", 75)), t.name()));
        }
        for (GpuType t : offered.catalog().types()) {
            counts.addAll(board.type(t.name()).map(Board.TypeStatus::validCounts).orElse(t.validCounts(1)));
        }
        List<OptionObject> countOptions = counts.stream().limit(100).map(c -> option(plainText(c + (c == 1 ? " GPU" : " GPUs")), String.valueOf(c))).toList();
        List<OptionObject> durations = offered.durations().stream().map(d -> option(plainText(Durations.format(d)), d.toString())).toList();
        GpuCatalog catalog = offered.catalog();

        Optional<OptionObject> initialType = types.stream().filter(o -> partial.gpuType() != null
                && catalog.find(partial.gpuType()).map(t -> t.name().equals(o.getValue())).orElse(false)).findFirst();
        Optional<OptionObject> initialCount = countOptions.stream().filter(o -> partial.gpus() != null && o.getValue().equals(String.valueOf(partial.gpus()))).findFirst();
        Optional<OptionObject> initialDuration = durations.stream().filter(o -> partial.duration() != null && o.getValue().equals(partial.duration().toString())).findFirst();

        List<LayoutBlock> blocks = new ArrayList<>();
        if (types.isEmpty()) {
            blocks.add(section(s -> s.text(markdownText("This cluster has no GPU nodes yet."))));
        } else {
            blocks.add(input(i -> i.blockId("type").label(plainText("GPU type")).element(staticSelect(s -> {
                s.actionId("type").options(types).placeholder(plainText("Choose a type"));
                initialType.ifPresent(s::initialOption);
                return s;
            }))));
        }
        blocks.add(input(i -> i.blockId("gpus").label(plainText("GPUs")).hint(plainText("1, 2, 4 or 8 on one node; 16 or more are whole nodes (8-GPU types)."))
                .element(staticSelect(s -> {
                    s.actionId("gpus").options(countOptions).placeholder(plainText("How many"));
                    initialCount.ifPresent(s::initialOption);
                    return s;
                }))));
        blocks.add(input(i -> i.blockId("duration").label(plainText("Duration")).optional(true).element(staticSelect(s -> {
            s.actionId("duration").options(durations).placeholder(plainText("Choose one, or type below"));
            initialDuration.ifPresent(s::initialOption);
            return s;
        }))));
        blocks.add(input(i -> i.blockId("custom").label(plainText("Or another duration")).optional(true)
                .element(plainTextInput(p -> p.actionId("custom").placeholder(plainText("e.g. 90m or 1h30m")).maxLength(16)))));
        if (jupyter) {
            blocks.add(input(i -> i.blockId("options").label(plainText("Options")).optional(true).element(checkboxes(c -> {
                c.actionId("options").options(List.of(option(plainText("Start Jupyter too"), "jupyter")));
                if (partial.jupyter()) {
                    c.initialOptions(List.of(option(plainText("Start Jupyter too"), "jupyter")));
                }
                return c;
            }))));
        }
        blocks.add(input(i -> i.blockId("users").label(plainText("Also let in (GitHub logins)")).optional(true)
                .element(plainTextInput(p -> {
                    p.actionId("users").placeholder(plainText("comma separated, e.g. octocat, hubot")).maxLength(500);
                    if (!partial.addUsers().isEmpty()) {
                        p.initialValue(String.join(", ", partial.addUsers()));
                    }
                    return p;
                }))));
        if (images.offersChoice()) {
            blocks.add(input(i -> i.blockId("image").label(plainText("Container image")).optional(true)
                    .hint(plainText(Texts.truncate(images.hint(), 2000)))
                    .element(plainTextInput(p -> p.actionId("image").placeholder(plainText("the default image")).maxLength(255)))));
        }
        return view(v -> v.type("modal").callbackId(CALLBACK).title(viewTitle(t -> t.type("plain_text").text("Reserve GPUs")))
                .submit(viewSubmit(s -> s.type("plain_text").text("Reserve")))
                .close(viewClose(c -> c.type("plain_text").text("Cancel")))
                .blocks(blocks));
    }

    public static Submission read(Map<String, Map<String, ViewState.Value>> values) {
        Map<String, String> errors = new LinkedHashMap<>();
        String type = selected(values, "type");
        String gpus = selected(values, "gpus");
        String preset = selected(values, "duration");
        String custom = text(values, "custom");
        Duration duration = null;
        if (custom != null && !custom.isBlank()) {
            duration = Durations.parse(custom.strip()).orElse(null);
            if (duration == null) {
                errors.put("custom", "Write a duration like 90m, 2h or 1h30m.");
            }
        } else if (preset != null && PRESETS.stream().anyMatch(d -> d.toString().equals(preset))) {
            duration = Duration.parse(preset);
        } else {
            errors.put("duration", "Choose a duration, or type one below.");
        }
        if (type == null) {
            errors.put("type", "Choose a GPU type.");
        }
        if (gpus == null || !gpus.matches("\\d{1,4}")) {
            errors.put("gpus", "Choose how many GPUs.");
        }
        if (!errors.isEmpty()) {
            return new Submission.Errors(errors);
        }
        var checked = values.getOrDefault("options", Map.of()).get("options");
        boolean jupyter = checked != null && checked.getSelectedOptions() != null
                && checked.getSelectedOptions().stream().anyMatch(o -> "jupyter".equals(o.getValue()));
        String users = text(values, "users");
        List<String> logins = users == null ? List.of()
                : Arrays.stream(users.split("[,\\s]+")).map(s -> s.replaceFirst("^@", "")).filter(s -> !s.isBlank()).toList();
        String image = text(values, "image");
        return new Submission.Ok(new Command.Reserve(type, Integer.parseInt(gpus), duration, jupyter, logins, null,
                image == null || image.isBlank() ? null : image.strip()));
    }

    /** The input block a validation refusal of a submitted form belongs to, so Slack shows it next to that field. */
    public static String blockFor(Command.Reserve submitted, String reason, Board board) {
        Duration d = submitted.duration();
        if (submitted.gpuType() == null || board.form().catalog().find(submitted.gpuType()).isEmpty()) {
            return "type";
        }
        if (d != null && (d.compareTo(board.limits().minDuration()) < 0 || d.compareTo(board.limits().maxDuration()) > 0)) {
            return PRESETS.contains(d) ? "duration" : "custom";
        }
        if (submitted.jupyter() && !board.form().jupyter()) {
            return "gpus";
        }
        if (reason.contains("GitHub login")) {
            return "users";
        }
        return reason.contains("image") ? "image" : "gpus";
    }

    private static @Nullable String selected(Map<String, Map<String, ViewState.Value>> values, String block) {
        var v = values.getOrDefault(block, Map.of()).get(block);
        return v == null || v.getSelectedOption() == null ? null : v.getSelectedOption().getValue();
    }

    private static @Nullable String text(Map<String, Map<String, ViewState.Value>> values, String block) {
        var v = values.getOrDefault(block, Map.of()).get(block);
        return v == null ? null : v.getValue();
    }
}
