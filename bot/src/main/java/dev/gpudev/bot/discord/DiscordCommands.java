package dev.gpudev.bot.discord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandGroupData;
import net.dv8tion.jda.api.requests.Route;
import net.dv8tion.jda.internal.requests.restaction.CommandListUpdateActionImpl;
import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.model.GpuCatalog;

/**
 * The {@code /gpu} slash command with typed options, one subcommand per chat command, and the reading of an invocation
 * into the same {@link Command} the Slack text parses to. The GPU type is a choice list from the catalog; a count is
 * an integer; a duration is text in the one duration syntax ({@code 90m}, {@code 2h}, {@code 1.5h}); flags are booleans.
 */
public final class DiscordCommands {
    private static final int MAX_CHOICES = 25;
    /** The text parser's bound on a count, so a typed count is refused where Slack's text would be. */
    private static final int MAX_GPUS = 4096;

    private DiscordCommands() {
    }

    /** @param name the command's name, {@code gpu} unless configured */
    public static SlashCommandData definition(String name, GpuCatalog catalog) {
        OptionData type = new OptionData(OptionType.STRING, "type", "GPU type");
        catalog.types().stream().limit(MAX_CHOICES).forEach(t -> type.addChoice(t.name() + " (" + t.gpusPerNode() + " per node)", t.name()));
        return Commands.slash(name, "Reserve GPU servers").setContexts(InteractionContextType.GUILD)
                .addSubcommands(
                        new SubcommandData("reserve", "Reserve GPUs; without type, count and duration it opens the form")
                                .addOptions(type,
                                        new OptionData(OptionType.INTEGER, "count", "How many GPUs (16 on 8-GPU nodes: two whole nodes)")
                                                .setRequiredRange(1, MAX_GPUS),
                                        new OptionData(OptionType.STRING, "duration", "How long: 30m, 2h, 1.5h").setMaxLength(16),
                                        new OptionData(OptionType.BOOLEAN, "jupyter", "Start Jupyter too"),
                                        new OptionData(OptionType.STRING, "add-users", "GitHub logins who may log in too, comma-separated")
                                                .setMaxLength(300),
                                        new OptionData(OptionType.STRING, "name", "A label for the reservation").setMaxLength(64),
                                        new OptionData(OptionType.STRING, "at", "Book for later, in UTC: thu 10:00, tomorrow 9am, 2026-12-10T10:00").setMaxLength(40),
                                        new OptionData(OptionType.STRING, "image", "Container image (one of the allowed images)")
                                                .setMaxLength(300),
                                        new OptionData(OptionType.STRING, "disk", "One of your disks, mounted at /disks/<name>")
                                                .setMaxLength(32)),
                        new SubcommandData("list", "Your reservations").addOption(OptionType.BOOLEAN, "all", "Everyone's live reservations")
                                .addOptions(new OptionData(OptionType.STRING, "state", "Only these: queued, starting, ready, ended (comma-separated)")
                                                .setMaxLength(40),
                                        new OptionData(OptionType.INTEGER, "page", "Page of your history, from 1").setRequiredRange(1, 50),
                                        new OptionData(OptionType.USER, "user", "Someone else's (admins)")),
                        new SubcommandData("logs", "A server's recent log and start-up events").addOptions(id(true),
                                new OptionData(OptionType.INTEGER, "lines", "How many lines (at most 500)").setRequiredRange(1, 500)),
                        new SubcommandData("edit", "Add or remove collaborators, turn Jupyter on or off, on a running reservation").addOptions(id(true),
                                new OptionData(OptionType.STRING, "add-user", "GitHub logins to add, comma-separated").setMaxLength(300),
                                new OptionData(OptionType.STRING, "remove-user", "GitHub logins to remove, comma-separated").setMaxLength(300),
                                new OptionData(OptionType.BOOLEAN, "jupyter", "Jupyter on (true) or off (false)")),
                        new SubcommandData("ssh-config", "A ~/.ssh/config file for all your servers"),
                        new SubcommandData("show", "One reservation").addOptions(id(true)),
                        new SubcommandData("extend", "Extend a reservation")
                                .addOptions(new OptionData(OptionType.STRING, "duration", "By how long: 1h, 2h", true).setMaxLength(16), id(false)),
                        new SubcommandData("cancel", "Cancel or release a reservation").addOptions(id(false))
                                .addOption(OptionType.BOOLEAN, "all", "All of yours (asks first)"),
                        new SubcommandData("availability", "Free GPUs now and when more come free"),
                        new SubcommandData("queue", "Who waits for which GPUs"),
                        new SubcommandData("bookings", "Your bookings, or everyone's of one GPU type")
                                .addOptions(new OptionData(OptionType.STRING, "type", "GPU type: everyone's bookings of it").setMaxLength(16)),
                        new SubcommandData("link", "Link your GitHub account (its SSH keys open your servers)"),
                        new SubcommandData("whoami", "Your GitHub link and access"),
                        new SubcommandData("help", "What the bot can do"),
                        new SubcommandData("usage", "GPU-hours reserved and used, waits, reclaimed idle hours").addOptions(
                                new OptionData(OptionType.STRING, "period", "The last 7 days (default) or 30").addChoice("week", "week").addChoice("month", "month"),
                                new OptionData(OptionType.USER, "user", "Someone else's (admins)"),
                                new OptionData(OptionType.STRING, "team", "A team's (admins)").setMaxLength(64),
                                new OptionData(OptionType.BOOLEAN, "csv", "As a CSV file (admins)")),
                        new SubcommandData("timeline", "A picture of the nodes: who holds what, and the queue").addOptions(timelineType(catalog)))
                .addSubcommandGroups(DiscordDiskCommands.group(), new SubcommandGroupData("admin", "Admins only").addSubcommands(
                        new SubcommandData("drain", "Start nothing new on a node").addOption(OptionType.STRING, "node", "Node name", true),
                        new SubcommandData("undrain", "Schedule on a node again").addOption(OptionType.STRING, "node", "Node name", true),
                        new SubcommandData("cancel", "Cancel anyone's reservation").addOptions(id(true)),
                        new SubcommandData("broadcast", "DM everyone with a live reservation")
                                .addOptions(new OptionData(OptionType.STRING, "text", "What to say", true).setMaxLength(1500)),
                        new SubcommandData("link-user", "Link a user to a GitHub login without OAuth")
                                .addOption(OptionType.USER, "user", "Who", true).addOption(OptionType.STRING, "login", "GitHub login", true),
                        new SubcommandData("forget", "Drop a user's cached keys and decisions").addOption(OptionType.USER, "user", "Who", true),
                        exemption("exempt", "Exempt from the idle policy (none given: list the exemptions)"),
                        exemption("unexempt", "End an exemption from the idle policy")),
                        NotifyCommands.group(catalog));
    }

    /** One of: a user, a team, a reservation id. */
    private static SubcommandData exemption(String name, String description) {
        return new SubcommandData(name, description).addOption(OptionType.USER, "user", "A user", false)
                .addOptions(new OptionData(OptionType.STRING, "team", "A team name, as idle.teams names it", false).setMaxLength(64), id(false));
    }

    private static OptionData timelineType(GpuCatalog catalog) {
        OptionData type = new OptionData(OptionType.STRING, "type", "Only this GPU type");
        catalog.types().stream().limit(MAX_CHOICES).forEach(t -> type.addChoice(t.name(), t.name()));
        return type;
    }

    private static OptionData id(boolean required) {
        return new OptionData(OptionType.STRING, "id", "Reservation id, or a unique prefix of it", required).setMaxLength(64);
    }

    /**
     * Registers the command on the guild, replacing what was there (a changed catalog changes the type choices). A
     * light JDA keeps no guild cache, so this is the request {@code Guild.updateCommands()} makes, built by id.
     */
    static void register(JDA jda, long guild, SlashCommandData command) {
        var route = Route.Interactions.UPDATE_GUILD_COMMANDS.compile(jda.getSelfUser().getApplicationId(), Long.toUnsignedString(guild));
        new CommandListUpdateActionImpl(jda, null, route).addCommands(command).complete();
    }

    /**
     * One invocation as a command. {@code group} and {@code sub} name the subcommand; {@code option} reads an option by
     * name (absent: null). Text options go through the same duration and id rules as Slack's text.
     */
    public static Command read(@Nullable String group, String sub, Function<String, Optional<OptionMapping>> option) {
        Function<String, @Nullable String> text = n -> option.apply(n).map(OptionMapping::getAsString).map(String::strip).orElse(null);
        if (DiscordDiskCommands.GROUP.equals(group)) {
            return DiscordDiskCommands.read(sub, text, option);
        }
        if (NotifyCommands.GROUP.equals(group)) {
            return NotifyCommands.read(sub, option);
        }
        if ("admin".equals(group)) {
            return switch (sub) {
                case "drain" -> new Command.Admin(new Command.AdminAction.Drain(req(text, "node")));
                case "undrain" -> new Command.Admin(new Command.AdminAction.Undrain(req(text, "node")));
                case "cancel" -> new Command.Admin(new Command.AdminAction.ForceCancel(req(text, "id").toLowerCase(Locale.ROOT)));
                case "broadcast" -> new Command.Admin(new Command.AdminAction.Broadcast(req(text, "text")));
                case "link-user" -> new Command.Admin(new Command.AdminAction.LinkUser(mention(option, "user"), req(text, "login")));
                case "forget" -> new Command.Admin(new Command.AdminAction.Forget(mention(option, "user")));
                case "exempt", "unexempt" -> exemption(sub.equals("exempt"), option, text);
                default -> unknown(sub);
            };
        }
        return switch (sub) {
            case "reserve" -> reserve(option, text);
            case "list" -> CommandParser.parse("list" + (option.apply("all").map(OptionMapping::getAsBoolean).orElse(false) ? " all" : "")
                    + (text.apply("state") == null ? "" : " --state " + text.apply("state").replace(" ", ""))
                    + option.apply("page").map(o -> " --page " + o.getAsLong()).orElse("")
                    + (option.apply("user").isPresent() ? " <@" + mention(option, "user") + ">" : ""));
            case "logs" -> new Command.Logs(req(text, "id").toLowerCase(Locale.ROOT),
                    option.apply("lines").map(o -> (int) Math.min(500, o.getAsLong())).orElse(100));
            case "edit" -> CommandParser.parse("edit " + req(text, "id").replace(" ", "")
                    + (text.apply("add-user") == null ? "" : " --add-user " + text.apply("add-user").replace(" ", ""))
                    + (text.apply("remove-user") == null ? "" : " --remove-user " + text.apply("remove-user").replace(" ", ""))
                    + option.apply("jupyter").map(o -> o.getAsBoolean() ? " --jupyter on" : " --jupyter off").orElse(""));
            case "ssh-config" -> new Command.SshConfig();
            case "show" -> new Command.Show(req(text, "id").toLowerCase(Locale.ROOT));
            case "extend" -> {
                String by = req(text, "duration");
                yield Durations.parse(by).<Command>map(d -> new Command.Extend(lower(text.apply("id")), d))
                        .orElseGet(() -> new Command.Invalid(by, "`" + by + "` is not a duration; write it like `1h`, `90m` or `1.5h`."));
            }
            case "cancel" -> option.apply("all").map(OptionMapping::getAsBoolean).orElse(false) ? new Command.CancelAll()
                    : new Command.Cancel(lower(text.apply("id")));
            case "availability" -> new Command.Availability();
            case "queue" -> new Command.Queue();
            case "bookings" -> new Command.Bookings(lower(text.apply("type")));
            case "link" -> new Command.Link();
            case "whoami" -> new Command.Whoami();
            case "help" -> new Command.Help();
            case "usage" -> new Command.Usage("month".equals(text.apply("period")),
                    option.apply("user").map(o -> DiscordUsers.user(o.getAsUser().getIdLong()).value()).orElse(null), text.apply("team"),
                    option.apply("csv").map(OptionMapping::getAsBoolean).orElse(false));
            case "timeline" -> new Command.Timeline(lower(text.apply("type")));
            default -> unknown(sub);
        };
    }

    private static Command reserve(Function<String, Optional<OptionMapping>> option, Function<String, @Nullable String> text) {
        String duration = text.apply("duration");
        Optional<Duration> parsed = duration == null ? Optional.empty() : Durations.parse(duration);
        if (duration != null && parsed.isEmpty()) {
            return new Command.Invalid(duration, "`" + duration + "` is not a duration; write it like `30m`, `2h` or `1.5h`. "
                    + "Usage: `" + CommandParser.USAGE + "`");
        }
        String users = text.apply("add-users");
        List<String> logins = users == null ? List.of()
                : Arrays.stream(users.split("[,\\s]+")).map(s -> s.replaceFirst("^@", "")).filter(s -> !s.isBlank()).toList();
        Integer count = option.apply("count").map(o -> (int) o.getAsLong()).orElse(null);
        return new Command.Reserve(text.apply("type"), count, parsed.orElse(null),
                option.apply("jupyter").map(OptionMapping::getAsBoolean).orElse(false), logins, text.apply("name"), text.apply("image"),
                text.apply("at"), text.apply("disk"));
    }

    private static Command exemption(boolean on, Function<String, Optional<OptionMapping>> option, Function<String, @Nullable String> text) {
        List<String> given = new ArrayList<>();
        option.apply("user").ifPresent(o -> given.add(mention(option, "user")));
        Optional.ofNullable(text.apply("team")).ifPresent(t -> given.add("team:" + t));
        Optional.ofNullable(lower(text.apply("id"))).ifPresent(given::add);
        if (given.size() > 1 || (given.isEmpty() && !on)) {
            return new Command.Invalid(String.join(" ", given), "Name one of `user`, `team` or `id`"
                    + (on ? " (none lists the exemptions)." : "."));
        }
        return new Command.Admin(new Command.AdminAction.Exempt(given.isEmpty() ? null : given.getFirst(), on));
    }

    /** A user option as the chat-neutral user id the admin commands take. */
    private static String mention(Function<String, Optional<OptionMapping>> option, String name) {
        return option.apply(name).map(o -> DiscordUsers.user(o.getAsUser().getIdLong()).value())
                .orElseThrow(() -> new IllegalArgumentException("`" + name + "` is missing"));
    }

    static String req(Function<String, @Nullable String> text, String name) {
        String v = text.apply(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("`" + name + "` is missing");
        }
        return v;
    }

    private static @Nullable String lower(@Nullable String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    static Command unknown(String sub) {
        return new Command.Invalid(sub, "`" + sub + "` is not a command of this bot; `/gpu help` lists them.");
    }
}
