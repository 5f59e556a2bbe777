package dev.gpudev.bot.discord;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandGroupData;

import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.command.NotifyAction;
import dev.gpudev.scheduler.model.GpuCatalog;

/** {@code /gpu notify when-free|list|cancel}: Discord's typed form of {@code /gpu notify} (a subcommand group). */
final class NotifyCommands {
    static final String GROUP = "notify";
    private static final int MAX_CHOICES = 25;

    private NotifyCommands() {
    }

    static SubcommandGroupData group(GpuCatalog catalog) {
        OptionData type = new OptionData(OptionType.STRING, "type", "GPU type", true);
        catalog.types().stream().limit(MAX_CHOICES).forEach(t -> type.addChoice(t.name() + " (" + t.gpusPerNode() + " per node)", t.name()));
        return new SubcommandGroupData(GROUP, "Tell me when GPUs are free").addSubcommands(
                new SubcommandData("when-free", "DM me when one node can start this at once (for a day)").addOptions(type,
                        new OptionData(OptionType.INTEGER, "count", "How many GPUs (at most one node's)", true).setRequiredRange(1, 4096),
                        new OptionData(OptionType.STRING, "duration", "For how long: 30m, 2h (default 1h)").setMaxLength(16)),
                new SubcommandData("list", "What you wait for"),
                new SubcommandData("cancel", "Stop waiting (all of yours without an id)")
                        .addOptions(new OptionData(OptionType.STRING, "id", "Notification id, from the list").setMaxLength(16)));
    }

    static Command read(String sub, Function<String, Optional<OptionMapping>> option) {
        Function<String, Optional<String>> text = n -> option.apply(n).map(OptionMapping::getAsString).map(String::strip).filter(s -> !s.isEmpty());
        return switch (sub) {
            case "when-free" -> {
                Optional<String> typed = text.apply("type");
                Optional<Long> count = option.apply("count").map(OptionMapping::getAsLong);
                Optional<String> d = text.apply("duration");
                Optional<Duration> duration = d.flatMap(Durations::parse);
                if (typed.isEmpty() || count.isEmpty()) {
                    yield new Command.Invalid(sub, "`notify when-free` needs a type and a count: `" + NotifyAction.USAGE + "`.");
                }
                if (d.isPresent() && duration.isEmpty()) {
                    yield new Command.Invalid(d.get(), "`" + d.get() + "` is not a duration; write it like `30m`, `2h` or `1.5h`.");
                }
                yield new Command.Notify(new NotifyAction.Subscribe(typed.get(), count.get().intValue(), duration.orElse(null)));
            }
            case "list" -> new Command.Notify(new NotifyAction.ListMine());
            case "cancel" -> new Command.Notify(new NotifyAction.Cancel(text.apply("id").map(s -> s.toLowerCase(Locale.ROOT)).orElse(null)));
            default -> new Command.Invalid(sub, "`notify " + sub + "` is not a command of this bot; `/gpu help` lists them.");
        };
    }
}
