package dev.gpudev.scheduler.command;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/** What {@code /gpu notify} asks: wait for GPUs, list what one waits for, or stop waiting. */
public sealed interface NotifyAction {
    String USAGE = "/gpu notify <type> <gpus> [duration]   e.g. /gpu notify h100 8 2h";
    String HELP = "`" + USAGE + "`: DM me when a node can start that at once (for a day); `/gpu notify list`, `/gpu notify cancel [id]`";

    /** @param duration null: an hour */
    record Subscribe(String gpuType, int gpus, @Nullable Duration duration) implements NotifyAction {
    }

    record ListMine() implements NotifyAction {
    }

    /** @param id null: all of one's own */
    record Cancel(@Nullable String id) implements NotifyAction {
    }

    /** {@code words} follow {@code notify}; the request part is read as {@code reserve} reads it. */
    static Command parse(String text, List<String> words) {
        if (words.isEmpty()) {
            return new Command.Invalid(text.strip(), "Which GPUs? `" + USAGE + "`; `/gpu notify list` shows what you wait for.");
        }
        String first = words.getFirst().toLowerCase(Locale.ROOT);
        switch (first) {
            case "list", "ls" -> {
                return words.size() == 1 ? new Command.Notify(new ListMine())
                        : new Command.Invalid(text.strip(), "`notify list` takes nothing more.");
            }
            case "cancel", "stop", "off" -> {
                return switch (words.size()) {
                    case 1 -> new Command.Notify(new Cancel(null));
                    case 2 -> new Command.Notify(new Cancel(words.get(1).equalsIgnoreCase("all") ? null : words.get(1).toLowerCase(Locale.ROOT)));
                    default -> new Command.Invalid(text.strip(), "`notify cancel` takes one id (from `/gpu notify list`) or nothing (all of yours).");
                };
            }
            default -> {
                return switch (CommandParser.parse("reserve " + String.join(" ", words))) {
                    case Command.Reserve r when !r.jupyter() && r.addUsers().isEmpty() && r.name() == null && r.image() == null
                            && r.gpuType() != null && r.gpus() != null -> new Command.Notify(new Subscribe(r.gpuType(), r.gpus(), r.duration()));
                    case Command.Reserve r when r.gpuType() == null || r.gpus() == null ->
                            new Command.Invalid(text.strip(), "`notify` needs a GPU type and a count: `" + USAGE + "`.");
                    case Command.Reserve r -> new Command.Invalid(text.strip(), "`notify` takes a type, a count and a duration, no options;"
                            + " the Reserve button reserves exactly that. `" + USAGE + "`.");
                    case Command.Invalid i -> new Command.Invalid(text.strip(), i.problem().replace(CommandParser.USAGE, USAGE));
                    default -> new Command.Invalid(text.strip(), "`" + USAGE + "`.");
                };
            }
        }
    }
}
