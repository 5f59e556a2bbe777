package dev.gpudev.scheduler.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.Delivery;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;

/**
 * What a confirmed delivery records in a reservation, and what its owner is still owed. Only what changes a later
 * decision is recorded (a queue position is not), so a long queue costs no writes.
 */
public final class Ledger {
    private Ledger() {
    }

    /**
     * {@code current} with the delivery of {@code notice} recorded: the message later notices update in place, the
     * Ready message, the latest reminder. Never moves backwards: a late confirmation of an older notice changes nothing.
     */
    public static Reservation recorded(Reservation current, Notice notice, @Nullable String chatRef) {
        Delivery was = current.delivery();
        Delivery next = was;
        if (chatRef != null && !chatRef.equals(was.chatRef())) {
            next = next.withChatRef(chatRef).withShown(notice.reservation().state());
        }
        if (notice instanceof Notice.Ready && current.state() == ReservationState.ACTIVE) {
            next = next.withShown(ReservationState.ACTIVE);
        }
        if (was.shown() != null && (next.shown() == null || next.shown().compareTo(was.shown()) < 0)) {
            next = next.withShown(was.shown());
        }
        Optional<Duration> lead = notice.reservation().latestReminder();
        if (notice instanceof Notice.Reminder && lead.isPresent() && Objects.equals(current.endsAt(), notice.reservation().endsAt())
                && (was.reminded() == null || was.reminded().compareTo(lead.get()) > 0)) {
            next = next.withReminded(lead.get());
        }
        return next.equals(was) ? current : current.withDelivery(next);
    }

    /**
     * What the owner of a live reservation should have been shown and the front-end has not confirmed: the Ready
     * message of an ACTIVE reservation, and its latest reminder while time is left. Older reminders are superseded.
     */
    public static List<Notice> undelivered(Reservation r, Instant now, Reminders reminders) {
        if (r.state() != ReservationState.ACTIVE) {
            return List.of();
        }
        List<Notice> owed = new ArrayList<>(2);
        if (r.shown() == null || r.shown().compareTo(ReservationState.ACTIVE) < 0) {
            owed.add(new Notice.Ready(r));
        }
        Optional<Duration> latest = r.latestReminder();
        if (latest.isPresent() && now.isBefore(r.endsAt()) && (r.reminded() == null || r.reminded().compareTo(latest.get()) > 0)) {
            owed.add(reminders.reminder(r, now));
        }
        return owed;
    }
}
