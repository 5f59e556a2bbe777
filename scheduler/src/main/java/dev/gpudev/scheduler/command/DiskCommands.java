package dev.gpudev.scheduler.command;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gpudev.scheduler.command.Command.DiskAction;

/** The words after {@code /gpu disk}, read into a {@link DiskAction}; anything else is refused with the usage. */
public final class DiskCommands {
    public static final String USAGE = "`/gpu disk list`, `/gpu disk create NAME SIZE` (e.g. `/gpu disk create data 100`),"
            + " `/gpu disk delete NAME`, `/gpu disk snapshot NAME`, `/gpu disk snapshots NAME`, `/gpu disk restore NAME [SNAPSHOT]`";
    /** {@code 100}, {@code 100G}, {@code 100Gi}, {@code 100GiB}, {@code 1T}, {@code 1Ti}: GiB unless a T says TiB. */
    private static final Pattern SIZE = Pattern.compile("(\\d{1,7})(?:(g|gi|gib|gb)|(t|ti|tib|tb))?");

    private DiskCommands() {
    }

    static Command parse(String text, List<String> words) {
        if (words.isEmpty()) {
            return new Command.Disk(new DiskAction.ListDisks());
        }
        String sub = words.getFirst().toLowerCase(Locale.ROOT);
        List<String> args = words.subList(1, words.size());
        return switch (sub) {
            case "list", "ls" -> args.isEmpty() ? new Command.Disk(new DiskAction.ListDisks()) : invalid(text, "`disk list` takes nothing.");
            case "create", "new" -> args.size() == 2 ? size(args.get(1)).<Command>map(gib -> new Command.Disk(new DiskAction.Create(args.get(0), gib)))
                    .orElseGet(() -> invalid(text, "`" + args.get(1) + "` is not a size: give GiB as a number, e.g. `/gpu disk create "
                            + args.get(0) + " 100` (or `100G`, `1T`)."))
                    : invalid(text, "`disk create` needs a name and a size in GiB, e.g. `/gpu disk create data 100`.");
            case "delete", "rm" -> args.size() == 1 ? new Command.Disk(new DiskAction.Delete(args.getFirst(), false))
                    : invalid(text, "`disk delete` takes one disk name, e.g. `/gpu disk delete data`.");
            case "snapshot", "snap" -> args.size() == 1 ? new Command.Disk(new DiskAction.Snapshot(args.getFirst()))
                    : invalid(text, "`disk snapshot` takes one disk name, e.g. `/gpu disk snapshot data`.");
            case "snapshots", "show" -> args.size() == 1 ? new Command.Disk(new DiskAction.Snapshots(args.getFirst()))
                    : invalid(text, "`disk snapshots` takes one disk name, e.g. `/gpu disk snapshots data`.");
            case "restore" -> args.size() == 1 || args.size() == 2
                    ? new Command.Disk(new DiskAction.Restore(args.getFirst(), args.size() == 2 ? args.get(1) : null))
                    : invalid(text, "`disk restore` takes a disk name and, optionally, a snapshot id from `/gpu disk snapshots NAME`.");
            default -> invalid(text, "I don't know `disk " + sub + "`. Disk commands: " + USAGE + ".");
        };
    }

    /** A size in GiB, or empty when the text is not one (or is 0). */
    public static Optional<Long> size(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1)) * (m.group(3) != null ? 1024 : 1);
        return n > 0 ? Optional.of(n) : Optional.empty();
    }

    private static Command invalid(String text, String problem) {
        return new Command.Invalid(text.strip(), problem);
    }
}
