package dev.gpudev.bot.discord;

import java.util.Optional;
import java.util.function.Function;

import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandGroupData;
import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.Command.DiskAction;

/** {@code /gpu disk …} on Discord: a subcommand group with typed options, read into the same {@link DiskAction}s as Slack's text. */
final class DiscordDiskCommands {
    static final String GROUP = "disk";
    /** The largest disk the text parser reads (GiB); the quota refuses what is over the configured size. */
    private static final int MAX_GIB = 9_999_999;

    private DiscordDiskCommands() {
    }

    static SubcommandGroupData group() {
        return new SubcommandGroupData(GROUP, "Your persistent disks and their snapshots").addSubcommands(
                new SubcommandData("list", "Your disks, where they are mounted, their snapshots"),
                new SubcommandData("create", "A new empty disk").addOptions(name(),
                        new OptionData(OptionType.INTEGER, "size", "Size in GiB", true).setRequiredRange(1, MAX_GIB)),
                new SubcommandData("delete", "Delete a disk (asks first; its snapshots stay)").addOptions(name()),
                new SubcommandData("snapshot", "Take a snapshot of a disk now").addOptions(name()),
                new SubcommandData("snapshots", "A disk's snapshots").addOptions(name()),
                new SubcommandData("restore", "Replace a disk's files with a snapshot (what it held is snapshotted first)")
                        .addOptions(name(), new OptionData(OptionType.STRING, "snapshot", "Snapshot id; empty: the newest ready one")
                                .setMaxLength(128)));
    }

    private static OptionData name() {
        return new OptionData(OptionType.STRING, "name", "Disk name (home for your home)", true).setMaxLength(32);
    }

    static Command read(String sub, Function<String, @Nullable String> text, Function<String, Optional<OptionMapping>> option) {
        return switch (sub) {
            case "list" -> new Command.Disk(new DiskAction.ListDisks());
            case "create" -> new Command.Disk(new DiskAction.Create(DiscordCommands.req(text, "name"),
                    option.apply("size").map(OptionMapping::getAsLong).orElseThrow(() -> new IllegalArgumentException("`size` is missing"))));
            case "delete" -> new Command.Disk(new DiskAction.Delete(DiscordCommands.req(text, "name"), false));
            case "snapshot" -> new Command.Disk(new DiskAction.Snapshot(DiscordCommands.req(text, "name")));
            case "snapshots" -> new Command.Disk(new DiskAction.Snapshots(DiscordCommands.req(text, "name")));
            case "restore" -> new Command.Disk(new DiskAction.Restore(DiscordCommands.req(text, "name"), text.apply("snapshot")));
            default -> DiscordCommands.unknown(sub);
        };
    }
}
