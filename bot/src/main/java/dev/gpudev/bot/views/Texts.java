package dev.gpudev.bot.views;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.model.Reservation;

/** Small text pieces shared by the views. */
public final class Texts {
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private Texts() {
    }

    /** A time Slack shows in the reader's own time zone, with a UTC fallback for other clients. */
    public static String time(Instant t) {
        return "<!date^" + t.getEpochSecond() + "^{time}|" + HH_MM.format(t) + " UTC>";
    }

    public static String shape(Reservation r) {
        String type = r.gpuType().toUpperCase(Locale.ROOT);
        return r.nodes().size() > 1 ? r.nodes().size() + " × " + r.gpusPerNode() + " " + type
                : r.gpus() + " × " + type;
    }

    public static String duration(Duration d) {
        return Durations.format(d);
    }

    /** Escapes the three characters Slack's mrkdwn treats as control characters in user-supplied text. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    public static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
