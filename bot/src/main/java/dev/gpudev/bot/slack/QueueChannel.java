package dev.gpudev.bot.slack;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.slack.api.methods.MethodsClient;
import org.jspecify.annotations.Nullable;

import dev.gpudev.bot.conversation.Message;
import dev.gpudev.bot.conversation.StatusViews;
import dev.gpudev.bot.runtime.Debounce;
import dev.gpudev.scheduler.app.Board;
import dev.gpudev.scheduler.app.Reservations;

/**
 * One queue-status message in a channel, edited in place when the queue or the free GPUs change — at most once per
 * {@code minInterval} — and posted again if someone deleted it.
 */
public final class QueueChannel {
    private static final System.Logger LOG = System.getLogger(QueueChannel.class.getName());
    private static final Set<String> GONE = Set.of("message_not_found", "cant_update_message", "edit_window_closed");

    private final MethodsClient slack;
    private final String channel;
    private final Reservations reservations;
    private final Duration minInterval;
    private final ScheduledExecutorService executor;
    private final Debounce changes;
    private volatile @Nullable String ts;
    private volatile String shown = "";

    public QueueChannel(MethodsClient slack, String channel, Reservations reservations, Duration minInterval,
                        ScheduledExecutorService executor) {
        this.slack = slack;
        this.channel = channel;
        this.reservations = reservations;
        this.minInterval = minInterval;
        this.executor = executor;
        this.changes = Debounce.on(executor, minInterval, this::publish);
    }

    public void start() {
        reservations.onChange(changes::request);
        changes.request();
    }

    private synchronized void publish() {
        Board board = reservations.board();
        String summary = StatusViews.queueSummary(board);
        if (summary.equals(shown) && ts != null) {
            return;
        }
        Message m = StatusViews.queueStatus(board).replacing(ts);
        try {
            if (m.replaces() != null) {
                var updated = slack.chatUpdate(u -> u.channel(channel).ts(m.replaces()).text(BlockKit.slack(m.summary())).blocks(BlockKit.blocks(m)));
                if (updated.isOk()) {
                    shown = summary;
                    return;
                }
                if (!GONE.contains(updated.getError())) {
                    throw new IllegalStateException(updated.getError());
                }
                LOG.log(Level.INFO, "the queue-status message is gone (" + updated.getError() + "); posting it again");
            }
            var posted = slack.chatPostMessage(p -> p.channel(channel).text(BlockKit.slack(m.summary())).blocks(BlockKit.blocks(m)));
            if (!posted.isOk()) {
                throw new IllegalStateException(posted.getError());
            }
            ts = posted.getTs();
            shown = summary;
        } catch (Exception e) {
            LOG.log(Level.WARNING, "could not update the queue-status message, will retry: " + e.getMessage());
            executor.schedule(changes::request, minInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
