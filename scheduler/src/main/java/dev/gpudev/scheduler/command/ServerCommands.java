package dev.gpudev.scheduler.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.ReservationState;

/** The parsing of {@code list} with filters, {@code logs}, {@code edit} and {@code ssh-config}. */
final class ServerCommands {
    /** The most log lines one answer carries; a chat message holds little more. */
    static final int MAX_LOG_LINES = 500;
    static final int DEFAULT_LOG_LINES = 100;
    static final String LIST_USAGE = "`list` takes `all`, `--state queued|starting|ready|ended` (comma-separated for several),"
            + " `@user` (admins) and `--page N`, e.g. `/gpu list --state ended --page 2`.";
    static final String EDIT_USAGE = "`edit` takes an id and one or more of `--add-user <github-login>`, `--remove-user <github-login>`,"
            + " `--jupyter on|off`, e.g. `/gpu edit h100-7f3a --add-user octocat`.";

    private ServerCommands() {
    }

    static Command list(String text, List<String> words) {
        boolean all = false;
        Set<ReservationState> states = EnumSet.noneOf(ReservationState.class);
        String user = null;
        int page = 1;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String lower = w.toLowerCase(Locale.ROOT);
            String flag = lower.contains("=") ? lower.substring(0, lower.indexOf('=')) : lower;
            if (lower.equals("all")) {
                all = true;
            } else if (flag.equals("--state") || flag.equals("--page")) {
                String value = lower.contains("=") ? lower.substring(lower.indexOf('=') + 1) : i + 1 < words.size() ? words.get(++i).toLowerCase(Locale.ROOT) : null;
                if (value == null || value.isBlank()) {
                    return invalid(text, "`" + flag + "` needs a value. " + LIST_USAGE);
                }
                if (flag.equals("--page")) {
                    if (!value.matches("\\d{1,4}") || Integer.parseInt(value) < 1) {
                        return invalid(text, "`--page " + value + "` is not a page: pages count from 1, e.g. `--page 2`.");
                    }
                    page = Integer.parseInt(value);
                } else {
                    for (String s : value.split(",")) {
                        ReservationState state = state(s.strip());
                        if (state == null) {
                            return invalid(text, "`" + s.strip() + "` is not a state; the states are `queued`, `starting`, `ready` and `ended`.");
                        }
                        states.add(state);
                    }
                }
            } else if (w.startsWith("@") || w.startsWith("<@")) {
                if (user != null) {
                    return invalid(text, "`list` takes one user at a time. " + LIST_USAGE);
                }
                user = w;
            } else {
                return invalid(text, "I can't read `" + w + "`. " + LIST_USAGE);
            }
        }
        if (all && (user != null || page > 1)) {
            return invalid(text, "`list all` shows everyone's live reservations on one page; use `@user` or `--page` without `all`.");
        }
        return new Command.ListReservations(all, states, user, page);
    }

    private static @Nullable ReservationState state(String s) {
        return switch (s) {
            case "queued", "waiting" -> ReservationState.QUEUED;
            case "starting", "provisioning" -> ReservationState.PROVISIONING;
            case "ready", "active", "running" -> ReservationState.ACTIVE;
            case "ended", "done", "history" -> ReservationState.ENDED;
            default -> null;
        };
    }

    static Command logs(String text, List<String> words) {
        if (words.isEmpty() || words.size() > 2) {
            return invalid(text, "`logs` takes a reservation id and, if you like, how many lines (at most " + MAX_LOG_LINES
                    + "), e.g. `/gpu logs h100-7f3a 200`.");
        }
        int lines = DEFAULT_LOG_LINES;
        if (words.size() == 2) {
            String n = words.get(1);
            if (!n.matches("\\d{1,9}") || Integer.parseInt(n) < 1) {
                return invalid(text, "`" + n + "` is not a number of lines; e.g. `/gpu logs " + words.getFirst() + " 200` (at most "
                        + MAX_LOG_LINES + ").");
            }
            lines = Math.min(MAX_LOG_LINES, Integer.parseInt(n));
        }
        return new Command.Logs(words.getFirst().toLowerCase(Locale.ROOT), lines);
    }

    static Command sshConfig(String text, List<String> words) {
        return words.isEmpty() ? new Command.SshConfig()
                : invalid(text, "`ssh-config` takes nothing: it makes a file for every live server of yours.");
    }

    static Command edit(String text, List<String> words) {
        String id = null;
        List<String> add = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        Boolean jupyter = null;
        for (int i = 0; i < words.size(); i++) {
            String raw = words.get(i);
            String w = raw.toLowerCase(Locale.ROOT);
            if (!w.startsWith("--")) {
                if (id != null) {
                    return invalid(text, "`edit` changes one reservation at a time. " + EDIT_USAGE);
                }
                id = w;
                continue;
            }
            String flag = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
            if (!List.of("--add-user", "--remove-user", "--jupyter").contains(flag)) {
                return invalid(text, "Unknown option `" + flag + "`. " + EDIT_USAGE);
            }
            String value = raw.contains("=") ? raw.substring(raw.indexOf('=') + 1) : i + 1 < words.size() ? words.get(++i) : null;
            if (value == null || value.isBlank()) {
                return invalid(text, "`" + flag + "` needs a value. " + EDIT_USAGE);
            }
            switch (flag) {
                case "--add-user" -> add.addAll(logins(value));
                case "--remove-user" -> remove.addAll(logins(value));
                default -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (!List.of("on", "off", "true", "false", "yes", "no").contains(v)) {
                        return invalid(text, "`--jupyter` takes `on` or `off`, not `" + value + "`.");
                    }
                    jupyter = v.equals("on") || v.equals("true") || v.equals("yes");
                }
            }
        }
        if (id == null) {
            return invalid(text, "Which reservation? " + EDIT_USAGE);
        }
        if (add.isEmpty() && remove.isEmpty() && jupyter == null) {
            return invalid(text, "Nothing to change. " + EDIT_USAGE);
        }
        return new Command.Edit(id, add, remove, jupyter);
    }

    private static List<String> logins(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isBlank()).map(s -> s.replaceFirst("^@", "")).toList();
    }

    private static Command invalid(String text, String problem) {
        return new Command.Invalid(text.strip(), problem);
    }
}
