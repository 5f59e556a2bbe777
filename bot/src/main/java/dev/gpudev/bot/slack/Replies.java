package dev.gpudev.bot.slack;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gpudev.scheduler.app.ActionOutcome;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.UserId;

/** Small pieces the Slack handlers share. */
final class Replies {
    private static final System.Logger LOG = System.getLogger(Replies.class.getName());
    private static final Pattern MENTION = Pattern.compile("<@([A-Z0-9]+)(?:\\|[^>]*)?>|@?([A-Z0-9]{6,})");

    private Replies() {
    }

    interface Work {
        void run() throws Exception;
    }

    /** Runs follow-up work after the ack; a failure is logged, never lost silently. */
    static void later(Executor executor, Work w) {
        executor.execute(() -> {
            try {
                w.run();
            } catch (Exception e) {
                LOG.log(Level.ERROR, "Slack follow-up failed: " + e, e);
            }
        });
    }

    static String text(ActionOutcome outcome) {
        return switch (outcome) {
            case ActionOutcome.Done(Reservation r, String message) -> ":white_check_mark: " + message;
            case ActionOutcome.Changed(String message) -> ":white_check_mark: " + message;
            case ActionOutcome.Refused(String reason) -> ":no_entry: " + reason;
        };
    }

    static String ids(List<Reservation> rs) {
        return String.join(", ", rs.stream().map(r -> "`" + r.id() + "`").toList());
    }

    /** A user named in a command: a Slack mention ({@code <@U123|ana>}) or a bare id. */
    static UserId user(String text) {
        Matcher m = MENTION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("`" + text + "` is not a user: mention them, e.g. @ana");
        }
        return new UserId(m.group(1) != null ? m.group(1) : m.group(2));
    }
}
