package dev.gpudev.bot.slack;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.slack.api.methods.MethodsClient;
import org.jspecify.annotations.Nullable;

import dev.gpudev.bot.views.CommandViews;
import dev.gpudev.bot.views.ReservationViews;
import dev.gpudev.bot.views.StatusViews;
import dev.gpudev.scheduler.app.Board;
import dev.gpudev.scheduler.app.Reservations;
import dev.gpudev.scheduler.model.GpuCatalog;

/**
 * One queue-status message in a channel, edited in place when the queue or the free GPUs change — at most once per
 * {@code minInterval} — and posted again if someone deleted it.
 */
public final class QueueChannel {
    private static final System.Logger LOG = System.getLogger(QueueChannel.class.getName());
    private static final Set<String> GONE = Set.of("message_not_found", "cant_update_message", "edit_window_closed");

    private final MethodsClient slack;
    private final String channel;
    private final GpuCatalog catalog;
    private final Reservations service;
    private final Duration minInterval;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile @Nullable String ts;
    private volatile String shown = "";
    private volatile long lastPublishNanos = System.nanoTime() - Long.MAX_VALUE / 2;

    public QueueChannel(MethodsClient slack, String channel, GpuCatalog catalog, Reservations service,
                        Duration minInterval, ScheduledExecutorService executor) {
        this.slack = slack;
        this.channel = channel;
        this.catalog = catalog;
        this.service = service;
        this.minInterval = minInterval;
        this.executor = executor;
    }

    public void start() {
        service.onChange(this::changed);
        changed();
    }

    private void changed() {
        if (pending.compareAndSet(false, true)) {
            long wait = Math.max(0, minInterval.toNanos() - (System.nanoTime() - lastPublishNanos));
            executor.schedule(this::publish, wait, TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void publish() {
        pending.set(false);
        Board board = service.board();
        String summary = CommandViews.availability(board) + "\n" + CommandViews.queue(board);
        if (summary.equals(shown) && ts != null) {
            return;
        }
        lastPublishNanos = System.nanoTime();
        ReservationViews.Message m = StatusViews.queueStatus(board);
        try {
            String current = ts;
            if (current != null) {
                var updated = slack.chatUpdate(u -> u.channel(channel).ts(current).text(m.text()).blocks(m.blocks()));
                if (updated.isOk()) {
                    shown = summary;
                    return;
                }
                if (!GONE.contains(updated.getError())) {
                    throw new IllegalStateException(updated.getError());
                }
                LOG.log(Level.INFO, "the queue-status message is gone (" + updated.getError() + "); posting it again");
            }
            var posted = slack.chatPostMessage(p -> p.channel(channel).text(m.text()).blocks(m.blocks()));
            if (!posted.isOk()) {
                throw new IllegalStateException(posted.getError());
            }
            ts = posted.getTs();
            shown = summary;
        } catch (Exception e) {
            LOG.log(Level.WARNING, "could not update the queue-status message, will retry: " + e.getMessage());
            executor.schedule(this::changed, minInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
