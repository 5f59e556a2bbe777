package dev.gpudev.scheduler.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.command.Command.AdminAction;

/**
 * Text to {@link Command}. Forgiving about order and spelling ({@code reserve 4 h100 for 90m},
 * {@code reserve 4xh100 1.5h}, {@code reserve h100 2x8 4h}); it does not know the catalog, so the GPU type
 * is checked later by validation.
 */
public final class CommandParser {
    public static final String USAGE = "/gpu reserve <type> <gpus> <duration>   e.g. /gpu reserve h100 4 2h";
    private static final Pattern COUNT_TYPE = Pattern.compile("(\\d+)x([a-z][a-z0-9]*)");
    private static final Pattern NODES_X_GPUS = Pattern.compile("(\\d+)x(\\d+)");
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final Pattern WORD = Pattern.compile("[a-z][a-z0-9-]*");
    /** More than any cluster holds: a count above it is refused as written instead of overflowing. */
    static final int MAX_GPUS = 4096;

    private CommandParser() {
    }

    public static Command parse(String text) {
        List<String> words = new ArrayList<>(Arrays.asList(text.strip().split("\\s+")));
        words.removeIf(String::isEmpty);
        if (!words.isEmpty() && words.getFirst().equalsIgnoreCase("/gpu")) {
            words.removeFirst();
        }
        if (words.isEmpty()) {
            return new Command.Help();
        }
        String verb = words.removeFirst().toLowerCase(Locale.ROOT);
        return switch (verb) {
            case "reserve", "r", "new", "get" -> reserve(text, words);
            case "list", "ls", "mine" -> ServerCommands.list(text, words);
            case "logs", "log" -> ServerCommands.logs(text, words);
            case "edit" -> ServerCommands.edit(text, words);
            case "ssh-config", "sshconfig" -> ServerCommands.sshConfig(text, words);
            case "show", "info", "status" -> words.size() == 1 ? new Command.Show(words.getFirst().toLowerCase(Locale.ROOT))
                    : invalid(text, "`show` needs one reservation id, e.g. `/gpu show h100-7f3a`.");
            case "cancel", "release", "stop", "delete" -> cancel(text, words);
            case "extend" -> extend(text, words);
            case "availability", "avail", "free" -> words.isEmpty() ? new Command.Availability()
                    : invalid(text, "`availability` takes no arguments.");
            case "queue", "q" -> new Command.Queue();
            case "bookings", "booked" -> words.size() <= 1 ? new Command.Bookings(words.isEmpty() ? null : words.getFirst().toLowerCase(Locale.ROOT))
                    : invalid(text, "`bookings` takes nothing (yours) or a GPU type (everyone's), e.g. `/gpu bookings h100`.");
            case "link" -> new Command.Link();
            case "whoami", "me" -> new Command.Whoami();
            case "help", "-h", "--help", "?" -> new Command.Help();
            case "admin" -> admin(text, words);
            case "notify", "watch" -> NotifyAction.parse(text, words);
            case "usage", "report" -> UsageCommands.usage(text, words);
            case "timeline", "chart" -> UsageCommands.timeline(text, words);
            case "disk", "disks" -> DiskCommands.parse(text, words);
            default -> invalid(text, "I don't know `" + verb + "`. Try `" + USAGE + "`, `/gpu list` or `/gpu help`.");
        };
    }

    private static Command reserve(String text, List<String> words) {
        String type = null;
        Integer gpus = null;
        Duration duration = null;
        boolean jupyter = false;
        List<String> users = new ArrayList<>();
        String name = null;
        String image = null;
        String at = null;
        String disk = null;
        for (int i = 0; i < words.size(); i++) {
            String raw = words.get(i);
            String w = raw.toLowerCase(Locale.ROOT);
            if (w.startsWith("--")) {
                String flag = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
                String value = raw.contains("=") ? raw.substring(raw.indexOf('=') + 1) : null;
                if (flag.equals("--jupyter")) {
                    jupyter = true;
                    continue;
                }
                if (flag.equals("--at")) {
                    int[] next = {i};
                    at = startText(words, value, next);
                    if (at == null) {
                        return invalid(text, "`--at` needs a start, e.g. " + StartTimes.EXAMPLES + ".");
                    }
                    i = next[0];
                    continue;
                }
                if (!List.of("--add-user", "--name", "--image", "--disk").contains(flag)) {
                    return invalid(text, "Unknown option `" + flag + "`. Options: `--jupyter`, `--add-user <github-login>`, `--name <label>`, `--image <image>`, `--at <start>`, `--disk <name>`.");
                }
                if (value == null) {
                    if (i + 1 >= words.size()) {
                        return invalid(text, "`" + flag + "` needs a value.");
                    }
                    value = words.get(++i);
                }
                switch (flag) {
                    case "--add-user" -> users.addAll(Arrays.stream(value.split(",")).filter(s -> !s.isBlank()).map(s -> s.replaceFirst("^@", "")).toList());
                    case "--name" -> name = value;
                    case "--disk" -> disk = value;
                    default -> image = value;
                }
                continue;
            }
            if (w.equals("for") || w.equals("gpu") || w.equals("gpus") || w.equals("x")) {
                continue;
            }
            Matcher countType = COUNT_TYPE.matcher(w);
            Matcher nodesGpus = NODES_X_GPUS.matcher(w);
            Optional<Duration> d = Durations.parse(w);
            if (nodesGpus.matches()) {
                if (gpus != null) {
                    return twice(text, "GPU count", raw);
                }
                long nodes = count(nodesGpus.group(1));
                long each = count(nodesGpus.group(2));
                if (nodes > MAX_GPUS || each > MAX_GPUS || nodes * each > MAX_GPUS) {
                    return tooMany(text, raw);
                }
                gpus = (int) (nodes * each);
            } else if (countType.matches()) {
                if (gpus != null || type != null) {
                    return twice(text, "GPU count or type", raw);
                }
                if (count(countType.group(1)) > MAX_GPUS) {
                    return tooMany(text, raw);
                }
                gpus = (int) count(countType.group(1));
                type = countType.group(2);
            } else if (d.isPresent()) {
                if (duration != null) {
                    return twice(text, "duration", raw);
                }
                duration = d.get();
            } else if (NUMBER.matcher(w).matches()) {
                if (gpus != null) {
                    return invalid(text, "`" + raw + "` has no unit, and the GPU count is already " + gpus + ". Durations look like `2h`, `90m` or `1.5h`.");
                }
                if (count(w) > MAX_GPUS) {
                    return tooMany(text, raw);
                }
                gpus = (int) count(w);
            } else if (WORD.matcher(w).matches()) {
                if (type != null) {
                    return twice(text, "GPU type", raw);
                }
                type = w;
            } else if (Durations.tooLong(w)) {
                return tooLong(text, raw, "a reservation lasts hours");
            } else if (Character.isDigit(w.charAt(0))) {
                return invalid(text, "`" + raw + "` is neither a GPU count nor a duration. Counts look like `4` or `2x8`,"
                        + " durations like `2h`, `90m`, `1.5h` or `1h30m`. " + USAGE);
            } else {
                return invalid(text, "I can't read `" + raw + "`. " + USAGE);
            }
        }
        return new Command.Reserve(type, gpus, duration, jupyter, users, name, image, at, disk);
    }

    /**
     * The words of {@code --at}'s value from {@code next[0]} on: a quoted run ({@code "thu 10:00"}), {@code in <duration>},
     * or a day followed by a time written without quotes; {@code next[0]} ends on its last word. Null when there is none.
     */
    private static @Nullable String startText(List<String> words, @Nullable String inline, int[] next) {
        String first = inline;
        if (first == null) {
            if (next[0] + 1 >= words.size()) {
                return null;
            }
            first = words.get(++next[0]);
        }
        if (first.startsWith("\"") || first.startsWith("\u201c")) {
            StringBuilder quoted = new StringBuilder(first.substring(1));
            while (!endsQuoted(quoted) && next[0] + 1 < words.size()) {
                quoted.append(' ').append(words.get(++next[0]));
            }
            String v = quoted.toString().replaceAll("[\"\u201d]$", "").strip();
            return v.isEmpty() ? null : v;
        }
        if (next[0] + 1 < words.size()) {
            String second = words.get(next[0] + 1);
            boolean pair = first.equalsIgnoreCase("in") || StartTimes.dayWord(first) && StartTimes.timeWord(second);
            if (pair) {
                next[0]++;
                return first + " " + second;
            }
        }
        return first;
    }

    private static boolean endsQuoted(CharSequence s) {
        return !s.isEmpty() && (s.charAt(s.length() - 1) == '"' || s.charAt(s.length() - 1) == '\u201d');
    }

    /** The value of a run of digits, or {@link Long#MAX_VALUE} when it has too many to be a count at all. */
    private static long count(String digits) {
        String significant = digits.replaceFirst("^0+(?=.)", "");
        return significant.length() > 9 ? Long.MAX_VALUE : Long.parseLong(significant);
    }

    private static Command tooMany(String text, String raw) {
        return invalid(text, "`" + raw + "` is too many GPUs; at most " + MAX_GPUS + " in any request, and `/gpu availability`"
                + " shows what this cluster has. E.g. `/gpu reserve h100 8 2h`, or `h100 2x8` for two whole nodes.");
    }

    private static Command tooLong(String text, String raw, String what) {
        return invalid(text, "`" + raw + "` is too long: " + what + ", not years (`/gpu help` shows the limits)."
                + " Durations look like `2h`, `90m` or `1h30m`.");
    }

    private static Command cancel(String text, List<String> words) {
        if (words.size() == 1 && words.getFirst().equalsIgnoreCase("--all")) {
            return new Command.CancelAll();
        }
        return switch (words.size()) {
            case 0 -> new Command.Cancel(null);
            case 1 -> new Command.Cancel(words.getFirst().toLowerCase(Locale.ROOT));
            default -> invalid(text, "`cancel` takes at most one reservation id, e.g. `/gpu cancel h100-7f3a`.");
        };
    }

    private static Command extend(String text, List<String> words) {
        String id = null;
        Duration by = null;
        for (String w : words) {
            Optional<Duration> d = Durations.parse(w);
            String bare = w.startsWith("+") ? w.substring(1) : w;
            if (Durations.tooLong(bare)) {
                return tooLong(text, w, "an extension adds hours");
            }
            if (Durations.parse(bare).isEmpty() && !bare.isEmpty() && Character.isDigit(bare.charAt(0)) && !bare.contains("-")) {
                return invalid(text, "`" + w + "` is not a duration. Durations look like `1h`, `90m` or `1h30m`,"
                        + " e.g. `/gpu extend 1h` or `/gpu extend h100-7f3a 2h`.");
            }
            if (d.isPresent() && by == null) {
                by = d.get();
            } else if (id == null && !w.startsWith("+") && d.isEmpty()) {
                id = w.toLowerCase(Locale.ROOT);
            } else if (w.startsWith("+") && by == null && Durations.parse(w.substring(1)).isPresent()) {
                by = Durations.parse(w.substring(1)).get();
            } else {
                return invalid(text, "`extend` takes an optional id and a duration, e.g. `/gpu extend h100-7f3a 2h`.");
            }
        }
        return by == null ? invalid(text, "How long? e.g. `/gpu extend 1h` or `/gpu extend h100-7f3a 2h`.")
                : new Command.Extend(id, by);
    }

    private static Command admin(String text, List<String> words) {
        String usage = "Admin commands: `drain <node>`, `undrain <node>`, `cancel <id>`, `broadcast <text>`, `link <@user> <github-login>`, `forget <@user>`,"
                + " `exempt [@user|team:NAME|<id>]`, `unexempt <@user|team:NAME|<id>>`.";
        if (words.isEmpty()) {
            return invalid(text, usage);
        }
        String sub = words.removeFirst().toLowerCase(Locale.ROOT);
        @Nullable AdminAction action = switch (sub) {
            case "drain" -> words.size() == 1 ? new AdminAction.Drain(words.getFirst()) : null;
            case "undrain" -> words.size() == 1 ? new AdminAction.Undrain(words.getFirst()) : null;
            case "cancel", "force-cancel" -> words.size() == 1 ? new AdminAction.ForceCancel(words.getFirst().toLowerCase(Locale.ROOT)) : null;
            case "broadcast" -> words.isEmpty() ? null : new AdminAction.Broadcast(String.join(" ", words));
            case "link" -> words.size() == 2 ? new AdminAction.LinkUser(words.get(0), words.get(1)) : null;
            case "forget" -> words.size() == 1 ? new AdminAction.Forget(words.getFirst()) : null;
            case "exempt" -> words.size() <= 1 ? new AdminAction.Exempt(words.isEmpty() ? null : words.getFirst(), true) : null;
            case "unexempt" -> words.size() == 1 ? new AdminAction.Exempt(words.getFirst(), false) : null;
            default -> null;
        };
        return action == null ? invalid(text, usage) : new Command.Admin(action);
    }

    private static Command twice(String text, String what, String raw) {
        return invalid(text, "The " + what + " is given twice (`" + raw + "`). " + USAGE);
    }

    private static Command invalid(String text, String problem) {
        return new Command.Invalid(text.strip(), problem);
    }
}
