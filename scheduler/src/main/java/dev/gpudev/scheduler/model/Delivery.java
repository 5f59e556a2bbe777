package dev.gpudev.scheduler.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What a reservation's owner was told: the rules that read and change it live in {@code dev.gpudev.scheduler.delivery}.
 *
 * @param remindersSent lead times of reminders due and issued (marked before they are sent), so the timer issues none twice
 * @param chatRef       the front-end's reference to the message it updates in place (channel and timestamp)
 * @param shown         the state the owner's message showed when the front-end last confirmed a delivery that
 *                      mattered (the first message, the Ready message); null: nothing confirmed yet
 * @param reminded      the lead time of the latest reminder the front-end confirmed delivering (the smallest lead);
 *                      null: none since the start or the last extension
 */
public record Delivery(List<Duration> remindersSent, @Nullable String chatRef, @Nullable ReservationState shown,
                       @Nullable Duration reminded) {
    public static final Delivery NONE = new Delivery(List.of(), null, null, null);

    public Delivery {
        remindersSent = List.copyOf(remindersSent);
    }

    /** The latest reminder issued: the smallest lead time marked sent. */
    public Optional<Duration> latestReminder() {
        return remindersSent.stream().min(Comparator.naturalOrder());
    }

    public Delivery withReminderSent(Duration lead) {
        List<Duration> sent = new ArrayList<>(remindersSent);
        sent.add(lead);
        return new Delivery(sent, chatRef, shown, reminded);
    }

    public Delivery withChatRef(String ref) {
        return new Delivery(remindersSent, ref, shown, reminded);
    }

    public Delivery withShown(@Nullable ReservationState state) {
        return new Delivery(remindersSent, chatRef, state, reminded);
    }

    public Delivery withReminded(Duration lead) {
        return new Delivery(remindersSent, chatRef, shown, lead);
    }

    /** After an extension: the reminders start again, the message stays. */
    public Delivery remindersReset() {
        return new Delivery(List.of(), chatRef, shown, null);
    }
}
