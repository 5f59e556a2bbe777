package dev.gpudev.scheduler.command;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The start of a booking as people write it, read in their own time zone: {@code 2026-12-10T10:00}, {@code 14:30},
 * {@code 9am}, {@code tomorrow 9am}, {@code thu 10:00}, {@code in 2h}. A bare time or weekday is the next one to come.
 */
public final class StartTimes {
    public static final String EXAMPLES = "`--at 14:30`, `--at \"tomorrow 9am\"`, `--at \"thu 10:00\"`, `--at 2026-12-10T10:00` or `--at \"in 2h\"`";
    private static final Pattern TIME = Pattern.compile("(\\d{1,2})(?::(\\d{2}))?\\s*(am|pm)?");
    private static final Pattern DATE_TIME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})[t ](\\d{1,2}:\\d{2})");

    private StartTimes() {
    }

    /** Either the instant or what was wrong with the text. */
    public record Parsed(Optional<Instant> start, String problem) {
    }

    public static Parsed parse(String text, ZonedDateTime now) {
        String t = text.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        try {
            return ok(read(t, now));
        } catch (DateTimeException | IllegalArgumentException e) {
            return new Parsed(Optional.empty(), "I can't read the start `" + text.strip() + "`. Write it as " + EXAMPLES + " (in your time zone, "
                    + now.getZone().getId() + ").");
        }
    }

    private static Parsed ok(Instant at) {
        return new Parsed(Optional.of(at), "");
    }

    private static Instant read(String t, ZonedDateTime now) {
        if (t.startsWith("in ")) {
            return now.toInstant().plus(Durations.parse(t.substring(3).replace(" ", "")).orElseThrow(() -> new IllegalArgumentException(t)));
        }
        try {
            return OffsetDateTime.parse(t.toUpperCase(Locale.ROOT)).toInstant();
        } catch (DateTimeParseException e) {
            // no offset: a local date and time, below
        }
        Matcher dt = DATE_TIME.matcher(t);
        if (dt.matches()) {
            return LocalDateTime.of(LocalDate.parse(dt.group(1)), time(dt.group(2))).atZone(now.getZone()).toInstant();
        }
        String[] words = t.split(" ", 2);
        Optional<LocalDate> day = day(words[0], now.toLocalDate());
        if (day.isPresent()) {
            if (words.length < 2) {
                throw new IllegalArgumentException("a day needs a time: " + t);
            }
            LocalTime at = time(words[1]);
            ZonedDateTime when = day.get().atTime(at).atZone(now.getZone());
            if (weekday(words[0]).isPresent() && !when.isAfter(now)) {
                when = when.plusWeeks(1);
            }
            return when.toInstant();
        }
        ZonedDateTime when = now.toLocalDate().atTime(time(t)).atZone(now.getZone());
        return (when.isAfter(now) ? when : when.plusDays(1)).toInstant();
    }

    private static Optional<LocalDate> day(String word, LocalDate today) {
        if (word.equals("today")) {
            return Optional.of(today);
        }
        if (word.equals("tomorrow") || word.equals("tmrw")) {
            return Optional.of(today.plusDays(1));
        }
        if (word.matches("\\d{4}-\\d{2}-\\d{2}")) {
            return Optional.of(LocalDate.parse(word));
        }
        return weekday(word).map(d -> today.plusDays((d.getValue() - today.getDayOfWeek().getValue() + 7) % 7));
    }

    private static Optional<DayOfWeek> weekday(String word) {
        if (word.length() < 3) {
            return Optional.empty();
        }
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().toLowerCase(Locale.ROOT).startsWith(word)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    private static LocalTime time(String text) {
        Matcher m = TIME.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(text);
        }
        int h = Integer.parseInt(m.group(1));
        int min = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        if (m.group(3) != null) {
            if (h < 1 || h > 12) {
                throw new IllegalArgumentException(text);
            }
            h = h % 12 + (m.group(3).equals("pm") ? 12 : 0);
        } else if (m.group(2) == null) {
            throw new IllegalArgumentException("a bare number is not a time: " + text);
        }
        return LocalTime.of(h, min);
    }

    /** Whether {@code word} can begin a start (a day) that a time may follow, for reading {@code --at thu 10:00} unquoted. */
    static boolean dayWord(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        return w.equals("today") || w.equals("tomorrow") || w.equals("tmrw") || w.matches("\\d{4}-\\d{2}-\\d{2}") || weekday(w).isPresent();
    }

    static boolean timeWord(String word) {
        return TIME.matcher(word.toLowerCase(Locale.ROOT)).matches() && (word.contains(":") || word.toLowerCase(Locale.ROOT).matches(".*[ap]m"));
    }
}
