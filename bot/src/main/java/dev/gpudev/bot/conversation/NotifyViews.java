package dev.gpudev.bot.conversation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import dev.gpudev.scheduler.app.ActionOutcome;
import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.app.Notifications;
import dev.gpudev.scheduler.app.Reservations;
import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.NotifyAction;
import dev.gpudev.scheduler.model.Subscription;
import dev.gpudev.scheduler.port.StoreUnavailableException;

/**
 * {@code /gpu notify}: the answers, the DM when it fires, and its buttons. Every change waits for the ack (it writes
 * the store); a press reserves through the normal reserve use case.
 */
public final class NotifyViews {
    /** Reserve what subscription {@code value} asked for: its subscriber only, once. */
    public static final String RESERVE = "notify_reserve";
    /** Queue now instead of waiting: {@code value} is a subscription id (which then ends), or {@code type|gpus|minutes}. */
    public static final String QUEUE = "notify_queue";
    /** Stop subscription {@code value}. */
    public static final String STOP = "notify_stop";
    public static final List<String> ACTIONS = List.of(RESERVE, QUEUE, STOP);

    private final Reservations reservations;
    private final Notifications notifications;

    public NotifyViews(Reservations reservations, Notifications notifications) {
        this.reservations = reservations;
        this.notifications = notifications;
    }

    public Reply command(Actor actor, NotifyAction action) {
        return switch (action) {
            case NotifyAction.Subscribe s -> later(reply -> reply.accept(subscribed(
                    notifications.subscribe(actor, s.gpuType(), s.gpus(), s.duration()), reservations.now())));
            case NotifyAction.ListMine l -> new Reply.Now(list(notifications.mine(actor), reservations.now()));
            case NotifyAction.Cancel c -> later(reply -> reply.accept(said(notifications.cancel(actor, c.id()))));
        };
    }

    /** @param key the press (one button on one message, pressed by one person) */
    public Reply press(Actor actor, String action, String value, String key) {
        return switch (action) {
            case RESERVE -> later(reply -> reply.accept(reserved(notifications.reserve(actor, value))));
            case QUEUE -> later(reply -> reply.accept(reserved(value.startsWith("n-") ? notifications.reserve(actor, value)
                    : request(value).map(r -> reservations.reserve(actor, r, key))
                    .orElse(new ReserveOutcome.Refused("That button is damaged; `/gpu reserve` queues you.")))));
            case STOP -> later(reply -> reply.accept(said(notifications.cancel(actor, value))));
            default -> new Reply.Now(Message.of(":warning: That button is not one this bot knows; nothing changed."));
        };
    }

    /** The DM when a subscription fires. */
    public static Message fired(Subscription s) {
        String what = s.gpus() + " × " + s.gpuType() + " for " + Texts.duration(s.duration());
        return Message.of(":bell: *" + what + " can start now* on one node. It is not held for you: the first request takes it.")
                .withButtons(List.of(Button.of(RESERVE, "Reserve " + s.gpus() + " × " + s.gpuType(), s.id()).styled(Button.Style.PRIMARY)))
                .withNote("Notification `" + s.id() + "` has ended; the button works for " + Texts.duration(s.ttlLeft(s.firedAt())) + ".")
                .withSummary(what + " can start now");
    }

    static Message subscribed(Notifications.Subscribed outcome, Instant now) {
        return switch (outcome) {
            case Notifications.Subscribed.Refused(String reason) -> Message.of(":no_entry: " + reason);
            case Notifications.Subscribed.FreeNow(String type, int gpus, Duration d) -> Message.of(":white_check_mark: " + gpus + " × "
                    + type + " for " + Texts.duration(d) + " would start *now*, so there is nothing to wait for.")
                    .withButtons(List.of(Button.of(QUEUE, "Reserve it now", type + "|" + gpus + "|" + d.toMinutes()).styled(Button.Style.PRIMARY)));
            case Notifications.Subscribed.Watching w -> watching(w, now);
        };
    }

    private static Message watching(Notifications.Subscribed.Watching w, Instant now) {
        Subscription s = w.subscription();
        String what = s.gpus() + " × " + s.gpuType() + " for " + Texts.duration(s.duration());
        String head = w.merged() ? ":bell: You already waited for " + s.gpus() + " × " + s.gpuType() + "; that notification (`" + s.id()
                + "`) now asks for " + Texts.duration(s.duration()) + " and waits " + Texts.duration(s.ttlLeft(now)) + " more."
                : ":bell: I'll DM you when " + what + " can start at once, for the next " + Texts.duration(s.ttlLeft(now)) + ". Id `" + s.id() + "`.";
        Message m = Message.of(head);
        if (w.firstInLine()) {
            String eta = w.eta() == null ? "" : w.eta().isAfter(now) ? ", starting about " + Markup.time(w.eta()) : "";
            m = Message.of(head + "\nNobody waits for " + s.gpuType() + ": queued now, you would be *first in line*" + eta
                    + ", and the queue holds your place while a notification does not.")
                    .withButtons(List.of(Button.of(QUEUE, "Queue instead", s.id()).styled(Button.Style.PRIMARY),
                            Button.of(STOP, "Stop notifying", s.id())));
        }
        return m.withNote("`/gpu notify list` shows what you wait for; `/gpu notify cancel " + s.id() + "` stops this one.");
    }

    static Message list(List<Subscription> mine, Instant now) {
        if (mine.isEmpty()) {
            return Message.of("You wait for no notification. `" + NotifyAction.USAGE + "`");
        }
        return Message.of("You wait for:").withItems(mine.stream().map(s -> new Message.Item("`" + s.id() + "` " + s.gpus() + " × "
                + s.gpuType() + " for " + Texts.duration(s.duration()) + ", " + Texts.duration(s.ttlLeft(now)) + " left",
                List.of(Button.of(STOP, "Stop", s.id())))).toList());
    }

    private static Message reserved(ReserveOutcome outcome) {
        return switch (outcome) {
            case ReserveOutcome.Accepted a -> Message.of(":white_check_mark: Requested " + Texts.shape(a.reservation()) + " for "
                    + Texts.duration(a.reservation().duration()) + " as `" + a.reservation().id() + "`; I'll DM you as it moves.");
            case ReserveOutcome.Duplicate d -> Message.of(":information_source: That was reserved already from this button; `/gpu list` shows it.");
            case ReserveOutcome.Refused(String reason) -> Message.of(":no_entry: " + reason);
        };
    }

    private static Message said(ActionOutcome outcome) {
        return Message.of(switch (outcome) {
            case ActionOutcome.Refused(String reason) -> ":no_entry: " + reason;
            default -> ":white_check_mark: " + outcome.message();
        });
    }

    private static Optional<Command.Reserve> request(String value) {
        String[] p = value.split("\\|");
        if (p.length != 3 || !p[1].matches("\\d{1,4}") || !p[2].matches("\\d{1,5}")) {
            return Optional.empty();
        }
        return Optional.of(new Command.Reserve(p[0], Integer.parseInt(p[1]), Duration.ofMinutes(Long.parseLong(p[2])),
                false, List.of(), null, null));
    }

    private static Reply later(Consumer<Consumer<Message>> work) {
        return new Reply.Later(null, reply -> {
            try {
                work.accept(reply);
            } catch (StoreUnavailableException e) {
                reply.accept(Message.of(Conversation.STORAGE_DOWN));
            }
        });
    }
}
