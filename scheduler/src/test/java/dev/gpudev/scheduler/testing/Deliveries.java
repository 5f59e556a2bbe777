package dev.gpudev.scheduler.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.port.DeliveryListener;
import dev.gpudev.scheduler.port.Notifier;

/**
 * The messages users got, across crashes of the bot, for the crash tests: a notifier that delivers (a crash point) and
 * then confirms the delivery to the bot (a store write, more crash points), and the invariants of at-least-once.
 */
public final class Deliveries {
    public final RecordingNotifier seen = new RecordingNotifier();
    /** Delivered, but the crash came before the bot had recorded it: these alone may be delivered twice. */
    private final List<Notice> unconfirmed = new ArrayList<>();

    /** A notifier for one incarnation of the bot; {@code bot} is the one running when a notice is delivered. */
    public Notifier notifier(CrashPoints points, Supplier<DeliveryListener> bot) {
        return notice -> {
            int before = seen.notices.size();
            try {
                points.around("notify", () -> seen.notify(notice));
                bot.get().delivered(notice, notice.ownMessage() ? null : "D0:" + notice.reservation().id());
            } catch (Crash c) {
                if (seen.notices.size() > before) {
                    unconfirmed.add(notice);
                }
                throw c;
            }
        };
    }

    public List<Notice> unconfirmed() {
        return List.copyOf(unconfirmed);
    }

    /**
     * Over every reservation as stored at the end: each that became ACTIVE had its Ready message, and the latest
     * reminder of its last end time; each idle question it was asked came once (a question shown is in the mark); no Ready,
     * reminder or question came twice unless a crash fell between its delivery and its record.
     */
    public void check(List<Reservation> all) {
        Map<String, Integer> times = new HashMap<>();
        seen.notices.stream().map(Deliveries::key).filter(k -> !k.isEmpty()).forEach(k -> times.merge(k, 1, Integer::sum));
        Map<String, Integer> allowed = new HashMap<>();
        unconfirmed.stream().map(Deliveries::key).forEach(k -> allowed.merge(k, 1, Integer::sum));
        times.forEach((k, n) -> assertThat(n).as(k + " delivered " + n + " times; unconfirmed deliveries: " + unconfirmed)
                .isLessThanOrEqualTo(1 + allowed.getOrDefault(k, 0)));
        for (Reservation r : all) {
            if (r.endsAt() != null) {
                assertThat(times).as("the Ready message of " + r.id()).containsKey("ready " + r.id());
            }
            r.latestReminder().ifPresent(lead -> assertThat(times).as("the latest reminder of " + r.id())
                    .containsKey("reminder " + r.id() + " " + r.endsAt() + " " + lead));
            assertThat(times.keySet().stream().filter(k -> k.startsWith("idle " + r.id() + " ")))
                    .as("the idle questions of " + r.id() + ": one message per question asked").hasSize(r.idle().questions());
            if (r.idle().askedAt() != null && r.idle().shownAt() != null) {
                assertThat(times).as("the open idle question of " + r.id()).containsKey("idle " + r.id() + " " + r.idle().askedAt());
            }
        }
    }

    private static String key(Notice n) {
        Reservation r = n.reservation();
        return switch (n) {
            case Notice.Ready ready -> "ready " + r.id();
            case Notice.Reminder rem -> "reminder " + r.id() + " " + r.endsAt() + " " + r.latestReminder().orElseThrow();
            case Notice.IdleQuestion q -> "idle " + r.id() + " " + r.idle().askedAt();
            default -> "";
        };
    }
}
