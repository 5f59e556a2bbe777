package dev.gpudev.bot.conversation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;

/** What the bot shows inside a server with {@code wall}: plain text for a terminal, no Slack markup. Pure functions. */
public final class TerminalViews {
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private TerminalViews() {
    }

    public static String reminder(Notice.Reminder reminder) {
        return reminder(reminder, Survival.DEFAULTS);
    }

    public static String reminder(Notice.Reminder reminder, Survival survival) {
        Reservation r = reminder.reservation();
        String when = r.endsAt() == null ? "" : ", at " + utc(r.endsAt());
        String note = reminder.last()
                ? "When it ends, this server is deleted. " + survival.plain(r)
                : "Extend it with the button in my DM to you or /gpu extend " + r.id() + " 2h, or release it if you are done.";
        return "gpu-dev: reservation " + r.id() + " (" + Texts.shape(r) + ") ends in " + Texts.duration(reminder.left()) + when
                + ".\n" + note;
    }

    /** {@code 04:04 UTC}: a terminal has no reader's time zone to show it in. */
    static String utc(Instant t) {
        return HH_MM.format(t) + " UTC";
    }
}
