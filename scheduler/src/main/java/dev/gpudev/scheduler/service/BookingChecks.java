package dev.gpudev.scheduler.service;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationRequest;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.BookingLimits;
import dev.gpudev.scheduler.timeline.Bookings;

/** What a booking must pass before it is stored: the booking limits, then a place on the timeline. Caller holds the lock. */
final class BookingChecks {
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

    private BookingChecks() {
    }

    /** GPU-hours of the bookings not yet started: the owner's ({@code mine}) or everyone's. */
    static double gpuHours(SchedulerState state, UserId owner, boolean mine) {
        double h = 0;
        for (Reservation r : state.live().values()) {
            if (r.booking() != null && r.state() == ReservationState.QUEUED && (!mine || r.owner().equals(owner))) {
                h += r.gpus() * r.duration().toSeconds() / 3600.0;
            }
        }
        return h;
    }

    /** GPUs of the owner's bookings not yet started. */
    static int bookedGpus(SchedulerState state, UserId owner) {
        int gpus = 0;
        for (Reservation r : state.live().values()) {
            if (r.booking() != null && r.state() == ReservationState.QUEUED && r.owner().equals(owner)) {
                gpus += r.gpus();
            }
        }
        return gpus;
    }

    static Optional<String> refusal(SchedulerState state, Engine engine, UserId owner, boolean admin, ReservationRequest request,
                                    Instant start, ZoneId zone, Instant now) {
        boolean wholeNodes = request.gpus() % engine.catalog().require(request.gpuType()).gpusPerNode() == 0;
        Optional<String> limit = engine.bookings().refusal(start, now, request.gpus(), request.duration(),
                gpuHours(state, owner, true), gpuHours(state, owner, false), admin && wholeNodes);
        if (limit.isPresent()) {
            return limit;
        }
        Bookings.Fit fit = engine.fitBooking(state, request.gpuType(), request.gpus(), request.duration(), start, now);
        if (fit.placed()) {
            return Optional.empty();
        }
        String shape = request.gpus() + " × " + request.gpuType();
        String asked = shape + " is not free for " + Durations.format(request.duration()) + " from " + at(start, zone) + ".";
        if (fit.nearest().isEmpty()) {
            return Optional.of(asked + " Nothing that size is free for that long within " + BookingLimits.span(engine.bookings().maxAhead())
                    + "; try a shorter window or fewer GPUs.");
        }
        return Optional.of(asked + " " + shape + " is free " + fit.nearest().stream().map(w -> span(w, zone)).collect(Collectors.joining(" or "))
                + "; book a start in one of those, or reserve without `--at` to queue.");
    }

    static String at(Instant t, ZoneId zone) {
        return DAY_TIME.format(t.atZone(zone)) + " " + zoneName(zone, t);
    }

    private static String span(Bookings.Window w, ZoneId zone) {
        ZonedDateTime from = w.from().atZone(zone);
        if (w.until() == null) {
            return DAY_TIME.format(from) + "–…";
        }
        ZonedDateTime until = w.until().atZone(zone);
        return DAY_TIME.format(from) + "–" + (until.toLocalDate().equals(from.toLocalDate()) ? TIME.format(until) : DAY_TIME.format(until));
    }

    private static String zoneName(ZoneId zone, Instant t) {
        return zone.normalized().equals(ZoneOffset.UTC) ? "UTC" : DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH).format(t.atZone(zone));
    }
}
