package dev.gpudev.bot.discord;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.channel.concrete.PrivateChannel;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.requests.ErrorResponse;
import org.jspecify.annotations.Nullable;

import dev.gpudev.bot.conversation.Message;
import dev.gpudev.bot.conversation.ReservationViews;
import dev.gpudev.scheduler.delivery.LatestNotices;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.DeliveryListener;
import dev.gpudev.scheduler.port.Notifier;

/**
 * Delivers the notices of Discord users as DMs: one message per reservation, edited in place as it moves (its
 * reference {@code channel:message} is recorded through the {@link DeliveryListener}, so a restarted bot edits the same
 * one), a short new message when it is ready or has ended (an edit does not notify), and a new DM with buttons for each
 * reminder. In order, on one thread of its own, retried with backoff (JDA itself waits out Discord's rate limits);
 * what it gives up on is reported undelivered, to be issued again on a later tick.
 */
final class DiscordNotifier implements Notifier, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DiscordNotifier.class.getName());

    private final JDA jda;
    private final Function<Notice, Message> view;
    private final int attempts;
    private final Duration backoff;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "discord-notifier");
        t.setDaemon(true);
        return t;
    });
    private final Map<ReservationId, String> refs = new ConcurrentHashMap<>();
    /** The newest notice of each reservation's main message: an older state never overwrites a newer one. */
    private final LatestNotices latest = new LatestNotices();
    private volatile DeliveryListener listener = new DeliveryListener() {
        @Override
        public void delivered(Notice notice, @Nullable String chatRef) {
        }

        @Override
        public void undelivered(Notice notice) {
        }
    };

    DiscordNotifier(JDA jda, Function<Notice, Message> view, int attempts, Duration backoff) {
        this.jda = jda;
        this.view = view;
        this.attempts = attempts;
        this.backoff = backoff;
    }

    void listen(DeliveryListener listener) {
        this.listener = listener;
    }

    @Override
    public void notify(Notice notice) {
        latest.issued(notice);
        try {
            executor.execute(() -> deliver(notice, 1));
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "shutting down: not telling " + notice.reservation().owner() + " about " + notice.reservation().id());
        }
    }

    private void deliver(Notice notice, int attempt) {
        if (latest.overtaken(notice)) {
            return;
        }
        @Nullable String ref;
        try {
            ref = send(notice);
        } catch (RuntimeException e) {
            if (attempt >= attempts) {
                LOG.log(Level.WARNING, "gave up telling " + notice.reservation().owner() + " about " + notice.reservation().id() + " for now: " + e);
                if (notice instanceof Notice.Ended) {
                    refs.remove(notice.reservation().id());
                    latest.forget(notice);
                }
                report(() -> listener.undelivered(notice));
                return;
            }
            try {
                executor.schedule(() -> deliver(notice, attempt + 1), backoff.multipliedBy(1L << attempt).toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shutdown) {
                LOG.log(Level.WARNING, "shutting down: gave up telling " + notice.reservation().owner());
            }
            return;
        }
        report(() -> listener.delivered(notice, ref));
    }

    /** @return the main message's reference, or null for a reminder (a message of its own) */
    private @Nullable String send(Notice notice) {
        var r = notice.reservation();
        long user = DiscordUsers.snowflake(r.owner()).orElseThrow(() -> new IllegalArgumentException(r.owner() + " is not a Discord user"));
        PrivateChannel dm = jda.openPrivateChannelById(user).complete();
        Message m = view.apply(notice);
        if (notice instanceof Notice.Reminder) {
            dm.sendMessage(DiscordViews.create(m)).complete();
            return null;
        }
        String ref = refs.getOrDefault(r.id(), r.chatRef() == null || !r.chatRef().contains(":") ? "" : r.chatRef());
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
            refs.put(r.id(), ref);
        }
        if (notice instanceof Notice.Ended) {
            refs.remove(r.id());
            latest.forget(r.id());
        }
        return ref;
    }

    private static void report(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not report a delivery: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
