package dev.gpudev.scheduler.command;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The words of {@code /gpu usage} and {@code /gpu timeline}. */
final class UsageCommands {
    static final String USAGE = "/gpu usage [week|month] [@user|team:NAME] [csv]";
    static final String TIMELINE = "/gpu timeline [type]";
    private static final Pattern USER = Pattern.compile("<@[A-Za-z0-9]+(?:\\|[^>]*)?>|@?[A-Z0-9]{6,}|@?[a-z]+:[0-9]+|@[A-Za-z0-9._-]+");
    private static final Pattern TEAM = Pattern.compile("team:([A-Za-z0-9._-]{1,64})");
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    private UsageCommands() {
    }

    static Command usage(String text, List<String> words) {
        Boolean month = null;
        String user = null;
        String team = null;
        boolean csv = false;
        for (String raw : words) {
            String w = raw.toLowerCase(Locale.ROOT);
            if ((w.equals("week") || w.equals("month")) && month == null) {
                month = w.equals("month");
            } else if (w.equals("csv") && !csv) {
                csv = true;
            } else if (TEAM.matcher(raw).matches() && team == null && user == null) {
                team = raw.substring(5);
            } else if (USER.matcher(raw).matches() && !raw.startsWith("team:") && user == null && team == null) {
                user = raw;
            } else {
                return invalid(text, "`" + raw + "` is not something `usage` takes. Try `" + USAGE + "`, e.g. `/gpu usage month` or `/gpu usage week @ana`.");
            }
        }
        return new Command.Usage(month != null && month, user, team, csv);
    }

    static Command timeline(String text, List<String> words) {
        if (words.isEmpty()) {
            return new Command.Timeline(null);
        }
        String type = words.getFirst().toLowerCase(Locale.ROOT);
        return words.size() == 1 && TYPE.matcher(type).matches() ? new Command.Timeline(type)
                : invalid(text, "`timeline` takes a GPU type or nothing: `" + TIMELINE + "`, e.g. `/gpu timeline h100`.");
    }

    private static Command invalid(String text, String problem) {
        return new Command.Invalid(text, problem);
    }
}
