package dev.gpudev.bot.discord;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.channel.concrete.PrivateChannel;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.requests.ErrorResponse;
import org.jspecify.annotations.Nullable;

import dev.gpudev.bot.conversation.Message;
import dev.gpudev.bot.conversation.ReservationViews;
import dev.gpudev.bot.runtime.NoticeDelivery;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.port.DeliveryListener;
import dev.gpudev.scheduler.port.Notifier;

/**
 * Delivers the notices of Discord users as DMs: one message per reservation, edited in place as it moves (its
 * reference {@code channel:message} is recorded through the {@link DeliveryListener}, so a restarted bot edits the same
 * one), a short new message when it is ready or has ended (an edit does not notify), and a new DM with buttons for each
 * reminder. In order on one stripe of a {@link NoticeDelivery}, retried with backoff (JDA itself waits out Discord's
 * rate limits); what it gives up on is reported undelivered, to be issued again on a later tick.
 */
final class DiscordNotifier implements Notifier, AutoCloseable {
    private final JDA jda;
    private final Function<Notice, Message> view;
    /** One stripe, as before the merge: every Discord DM goes out in the order it was issued. */
    private final NoticeDelivery delivery;

    DiscordNotifier(JDA jda, Function<Notice, Message> view, int attempts, Duration backoff) {
        this.jda = jda;
        this.view = view;
        this.delivery = new NoticeDelivery("discord-notifier", 1, attempts, backoff, this::send, e -> Optional.empty());
    }

    void listen(DeliveryListener listener) {
        delivery.listen(listener);
    }

    @Override
    public void notify(Notice notice) {
        delivery.submit(notice);
    }

    /** @return the main message's reference, or null for a message of its own (a reminder, the idle question) */
    private @Nullable String send(Notice notice) {
        var r = notice.reservation();
        long user = DiscordUsers.snowflake(r.owner()).orElseThrow(() -> new IllegalArgumentException(r.owner() + " is not a Discord user"));
        PrivateChannel dm = jda.openPrivateChannelById(user).complete();
        Message m = view.apply(notice);
        if (notice.ownMessage()) {
            dm.sendMessage(DiscordViews.create(m)).complete();
            return null;
        }
        String ref = delivery.ref(r.id()).orElse(r.chatRef() == null || !r.chatRef().contains(":") ? "" : r.chatRef());
        if (!ref.isEmpty()) {
            String message = ref.substring(ref.indexOf(':') + 1);
            try {
                dm.editMessageById(message, DiscordViews.edit(m)).complete();
                if (ReservationViews.alsoAsReply(notice)) {
                    dm.sendMessage(DiscordViews.create(Message.of(m.summary()))).complete();
                }
            } catch (ErrorResponseException e) {
                if (e.getErrorResponse() != ErrorResponse.UNKNOWN_MESSAGE) {
                    throw e;
                }
                ref = "";
            }
        }
        if (ref.isEmpty()) {
            ref = dm.getId() + ":" + dm.sendMessage(DiscordViews.create(m)).complete().getId();
            delivery.remember(r.id(), ref);
        }
        return ref;
    }

    @Override
    public void close() {
        delivery.close();
    }
}
