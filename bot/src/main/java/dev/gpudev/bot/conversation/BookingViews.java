package dev.gpudev.bot.conversation;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.app.Board;
import dev.gpudev.scheduler.app.Disks;
import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.app.Reservations;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.StartTimes;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;

/** Advance booking in the chat: {@code /gpu reserve … --at <start>} and {@code /gpu bookings [type]}. */
final class BookingViews {
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);

    private BookingViews() {
    }

    /** Reads the start in the actor's zone and books; what cannot be read or booked is answered with what would work. */
    static Reply book(Reservations reservations, TimeZones zones, Disks disks, Actor actor, Command.Reserve r, @Nullable String key) {
        ZoneId zone = zones.of(actor.user());
        StartTimes.Parsed parsed = StartTimes.parse(r.at(), reservations.now().atZone(zone));
        if (parsed.start().isEmpty()) {
            return new Reply.Now(Message.of(":warning: " + parsed.problem()));
        }
        Instant start = parsed.start().get();
        return reservations.check(actor, r).or(() -> DiskViews.ackRefusal(disks, r.disk()))
                .<Reply>map(why -> new Reply.Now(Message.of(":no_entry: " + why)))
                .orElseGet(() -> new Reply.Later(Message.of(":hourglass: Booking " + r.gpus() + " × " + r.gpuType() + " for "
                        + Texts.duration(r.duration()) + " from " + at(start, zone) + "… I'll DM you the booking."), reply -> {
                    Optional<String> diskRefused = r.disk() == null ? Optional.empty() : disks.bookRefusal(actor, r.disk());
                    if (diskRefused.isPresent()) {
                        reply.accept(Message.of(":no_entry: Not booked: " + diskRefused.get()));
                    } else if (reservations.book(actor, r, start, zone, key) instanceof ReserveOutcome.Refused(String reason)) {
                        reply.accept(Message.of(":no_entry: " + reason));
                    }
                }));
    }

    /** The reserve form with a start: a start that cannot be read, or a request that can never be placed, goes back to the form. */
    static Reply submit(Reservations reservations, TimeZones zones, Actor actor, Command.Reserve r, String key) {
        ZoneId zone = zones.of(actor.user());
        StartTimes.Parsed parsed = StartTimes.parse(r.at(), reservations.now().atZone(zone));
        if (parsed.start().isEmpty()) {
            return new Reply.Invalid(Map.of(ReserveForm.START, Markup.truncate("`" + r.at() + "` is not a start I can read; write e.g. thu 10:00,"
                    + " tomorrow 9am or 2026-12-10T10:00 (your time zone: " + zone.getId() + ").", 150)));
        }
        Instant start = parsed.start().get();
        return reservations.check(actor, r)
                .<Reply>map(why -> new Reply.Invalid(Map.of(ReserveForm.inputFor(r, why, reservations.board()), why)))
                .orElseGet(() -> new Reply.Later(null, reply -> {
                    if (reservations.book(actor, r, start, zone, key) instanceof ReserveOutcome.Refused(String reason)) {
                        reply.accept(Message.of(":no_entry: Your booking was not accepted: " + reason));
                    }
                }));
    }

    /** The actor's bookings, or everyone's of one GPU type, soonest first. */
    static Message list(Board board, Actor actor, @Nullable String type, ZoneId zone) {
        List<Reservation> booked = board.live().stream()
                .filter(r -> r.booking() != null && r.state() == ReservationState.QUEUED)
                .filter(r -> type == null ? actor.owns(r) : r.gpuType().equalsIgnoreCase(type) || board.form().catalog().find(type)
                        .map(t -> t.name().equals(r.gpuType())).orElse(false))
                .sorted((a, b) -> a.booking().startsAt().compareTo(b.booking().startsAt()))
                .toList();
        if (booked.isEmpty()) {
            return Message.of(type == null ? "You have no bookings. Book with `/gpu reserve h100 8 4h --at \"thu 10:00\"`."
                    : "Nobody has booked " + type + " GPUs.");
        }
        return Message.of((type == null ? "*Your bookings*\n" : "*Bookings of " + type + "*\n") + booked.stream()
                .map(r -> "• `" + r.id() + "`" + (type == null ? "" : " " + Markup.user(r.owner().value())) + " " + Texts.shape(r)
                        + " for " + Texts.duration(r.duration()) + " from " + at(r.booking().startsAt(), zone))
                .collect(Collectors.joining("\n")) + "\nCancel one with `/gpu cancel <id>`.");
    }

    /** A day and time in {@code zone}: a booking may be days ahead, so the time alone would not do. */
    static String at(Instant t, ZoneId zone) {
        String name = zone.normalized().equals(ZoneOffset.UTC) ? "UTC" : DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH).format(t.atZone(zone));
        return DAY_TIME.format(t.atZone(zone)) + " " + name;
    }
}
