package dev.gpudev.scheduler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import dev.gpudev.scheduler.command.Durations;

/**
 * The bounds of advance booking, so that bookings cannot starve the queue.
 *
 * @param maxAhead        how far ahead a booking may start
 * @param maxDuration     how long one booking may last
 * @param gpuHoursPerUser GPU-hours of live bookings one person may hold
 * @param gpuHoursTotal   GPU-hours of live bookings of everyone together
 * @param reminder        how long before its start the owner is reminded
 * @param unusedGrace     a started booking its owner has not used by then is released ({@code EndReason.UNUSED})
 */
public record BookingLimits(Duration maxAhead, Duration maxDuration, double gpuHoursPerUser, double gpuHoursTotal,
                            Duration reminder, Duration unusedGrace) {
    public BookingLimits {
        if (maxAhead.isNegative() || maxDuration.isNegative() || gpuHoursPerUser < 0 || gpuHoursTotal < 0
                || reminder.isNegative() || unusedGrace.isNegative()) {
            throw new IllegalArgumentException("booking limits must not be negative");
        }
    }

    public static BookingLimits defaults() {
        return new BookingLimits(Duration.ofDays(14), Duration.ofHours(24), 64, 512, Duration.ofMinutes(15), Duration.ofMinutes(30));
    }

    /**
     * Why a booking breaks these limits, or empty. An admin booking whole nodes is bound by none of them.
     *
     * @param mine GPU-hours of the owner's live bookings; {@code all}: of everyone's
     */
    public Optional<String> refusal(Instant start, Instant now, int gpus, Duration length, double mine, double all, boolean adminWholeNodes) {
        if (!start.isAfter(now)) {
            return Optional.of("That start is not in the future; reserve without `--at` to start as soon as possible.");
        }
        if (adminWholeNodes) {
            return Optional.empty();
        }
        if (Duration.between(now, start).compareTo(maxAhead) > 0) {
            return Optional.of("A booking may start at most " + span(maxAhead) + " ahead.");
        }
        if (length.compareTo(maxDuration) > 0) {
            return Optional.of("A booking lasts at most " + Durations.format(maxDuration) + ".");
        }
        double asked = gpus * length.toSeconds() / 3600.0;
        if (mine + asked > gpuHoursPerUser) {
            return Optional.of("Your bookings hold " + hours(mine) + " GPU-hours; with " + hours(asked) + " more you would pass the limit of "
                    + hours(gpuHoursPerUser) + " per person. Book fewer GPUs or a shorter window, or cancel a booking.");
        }
        if (all + asked > gpuHoursTotal) {
            return Optional.of("Bookings already hold " + hours(all) + " of the " + hours(gpuHoursTotal) + " GPU-hours that may be booked in all;"
                    + " book at most " + hours(Math.max(0, gpuHoursTotal - all)) + " GPU-hours, or reserve without `--at`.");
        }
        return Optional.empty();
    }

    /** Whole days as days ({@code 14 days}), anything else as a duration. */
    public static String span(Duration d) {
        return d.toHours() % 24 == 0 && d.toDays() > 0 && d.toSeconds() % 3600 == 0 ? d.toDays() + (d.toDays() == 1 ? " day" : " days") : Durations.format(d);
    }

    private static String hours(double h) {
        return h == Math.rint(h) ? String.valueOf((long) h) : String.format(Locale.ROOT, "%.1f", h);
    }
}
