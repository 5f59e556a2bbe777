package dev.gpudev.bot.config;

import java.time.DayOfWeek;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import io.helidon.config.Config;

import dev.gpudev.bot.runtime.WeeklyUsage;

/** The {@code usage} subtree: when the weekly summary goes to the queue channel. */
public final class UsageSettings {
    private UsageSettings() {
    }

    public static WeeklyUsage.Settings weekly(Config weekly) {
        String day = weekly.get("day").asString().orElse("off").strip().toUpperCase(Locale.ROOT);
        Optional<DayOfWeek> on;
        try {
            on = day.equals("OFF") || day.isEmpty() ? Optional.empty() : Optional.of(DayOfWeek.valueOf(day));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("usage.weekly.day is a day of the week (MONDAY … SUNDAY) or off, not " + day, e);
        }
        return new WeeklyUsage.Settings(on, weekly.get("hour").asInt().orElse(9), weekly.get("check-every").as(Duration.class).orElse(Duration.ofMinutes(5)));
    }
}
