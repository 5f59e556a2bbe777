package dev.gpudev.scheduler.command;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes durations the way people type them: {@code 2h}, {@code 90m}, {@code 1.5h}, {@code 1h30m}, {@code 1d}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(d|days?|h|hrs?|hours?|m|mins?|minutes?)");
    private static final Pattern WHOLE = Pattern.compile("(?:" + PART.pattern() + ")+");
    /** Far beyond any reservation; longer is refused as written, never rounded or wrapped. */
    static final Duration LONGEST = Duration.ofDays(366);

    private Durations() {
    }

    public static Optional<Duration> parse(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (!WHOLE.matcher(t).matches()) {
            return Optional.empty();
        }
        Matcher m = PART.matcher(t);
        BigDecimal seconds = BigDecimal.ZERO;
        while (m.find()) {
            long unit = switch (m.group(2).charAt(0)) {
                case 'd' -> 86_400;
                case 'h' -> 3_600;
                default -> 60;
            };
            seconds = seconds.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
        }
        if (seconds.compareTo(BigDecimal.valueOf(LONGEST.toSeconds())) > 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(seconds.longValue()));
    }

    /** Written like a duration ({@code 99999999999h}) but longer than {@link #LONGEST}, so {@link #parse} refuses it. */
    public static boolean tooLong(String text) {
        return WHOLE.matcher(text.toLowerCase(Locale.ROOT)).matches() && parse(text).isEmpty();
    }

    /** {@code 2h}, {@code 1h 30m}, {@code 45m}, {@code 30s}. */
    public static String format(Duration d) {
        long minutes = d.toMinutes();
        if (minutes == 0) {
            return d.toSeconds() + "s";
        }
        long h = minutes / 60;
        long m = minutes % 60;
        if (h == 0) {
            return m + "m";
        }
        return m == 0 ? h + "h" : h + "h " + m + "m";
    }
}
