package dev.gpudev.scheduler.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** The window a report covers: the last 7 or the last 30 days up to now. */
public enum UsagePeriod {
    WEEK(Duration.ofDays(7)), MONTH(Duration.ofDays(30));

    private final Duration length;

    UsagePeriod(Duration length) {
        this.length = length;
    }

    public Duration length() {
        return length;
    }

    public Instant from(Instant to) {
        return to.minus(length);
    }

    public String label() {
        return this == WEEK ? "the last 7 days" : "the last 30 days";
    }

    public static Optional<UsagePeriod> parse(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "week", "w", "7d" -> Optional.of(WEEK);
            case "month", "m", "30d" -> Optional.of(MONTH);
            default -> Optional.empty();
        };
    }
}
