package dev.gpudev.bot.discord;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.requests.Route;
import net.dv8tion.jda.internal.requests.RestActionImpl;
import org.jspecify.annotations.Nullable;

import dev.gpudev.bot.conversation.Message;

/**
 * The queue-status message of the configured channel, edited in place when what it shows changes — at most once per
 * {@code minInterval} — and posted again if someone deleted it. A light JDA has no channel cache, so the two requests
 * go by channel id through JDA's requester (its rate limits and retries), as {@code TextChannel.sendMessage} would.
 */
final class DiscordStatus {
    private static final System.Logger LOG = System.getLogger(DiscordStatus.class.getName());

    private final JDA jda;
    private final long channel;
    private final Supplier<Message> view;
    private final Duration minInterval;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile @Nullable String message;
    private volatile String shown = "";
    private volatile long lastPublishNanos = System.nanoTime() - Long.MAX_VALUE / 2;

    DiscordStatus(JDA jda, long channel, Supplier<Message> view, Duration minInterval, ScheduledExecutorService executor) {
        this.jda = jda;
        this.channel = channel;
        this.view = view;
        this.minInterval = minInterval;
        this.executor = executor;
    }

    /** Something the message shows may have changed. */
    void changed() {
        if (pending.compareAndSet(false, true)) {
            long wait = Math.max(0, minInterval.toNanos() - (System.nanoTime() - lastPublishNanos));
            executor.schedule(this::publish, wait, TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void publish() {
        pending.set(false);
        Message m = view.get();
        // The "updated at" note changes every time; what matters is the rest.
        String summary = m.withNote("").toString();
        if (summary.equals(shown) && message != null) {
            return;
        }
        lastPublishNanos = System.nanoTime();
        String ch = Long.toUnsignedString(channel);
        try {
            String current = message;
            if (current != null) {
                try {
                    new RestActionImpl<Void>(jda, Route.Messages.EDIT_MESSAGE.compile(ch, current), DiscordViews.edit(m).toData()).complete();
                    shown = summary;
                    return;
                } catch (ErrorResponseException e) {
                    if (e.getErrorResponse() != ErrorResponse.UNKNOWN_MESSAGE) {
                        throw e;
                    }
                    LOG.log(Level.INFO, "the queue-status message is gone; posting it again");
                }
            }
            message = new RestActionImpl<String>(jda, Route.Messages.SEND_MESSAGE.compile(ch), DiscordViews.create(m).toData(),
                    (response, request) -> response.getObject().getString("id")).complete();
            shown = summary;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not update the Discord queue-status message, will retry: " + e.getMessage());
            executor.schedule(this::changed, minInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
