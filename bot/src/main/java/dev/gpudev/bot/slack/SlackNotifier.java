package dev.gpudev.bot.slack;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import org.jspecify.annotations.Nullable;

import dev.gpudev.bot.conversation.Message;
import dev.gpudev.bot.conversation.ReservationViews;
import dev.gpudev.bot.runtime.Threads;
import dev.gpudev.scheduler.delivery.LatestNotices;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.DeliveryListener;
import dev.gpudev.scheduler.port.Notifier;

/**
 * Delivers notices as DMs: one message per reservation, updated in place, with a threaded reply for the moments
 * a person must not miss (ready, ended) and a fresh DM for each reminder. Delivery is in order, off the caller's
 * thread, and retried a few times (honouring Slack's {@code Retry-After}); each outcome is reported to the
 * {@link DeliveryListener}, which records deliveries and issues again, on a later tick, what this gave up on.
 */
public final class SlackNotifier implements Notifier, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SlackNotifier.class.getName());
    private final MethodsClient slack;
    private final int attempts;
    private final Duration backoff;
    /**
     * Notices of one reservation go through one stripe, in order; different reservations are delivered in parallel. DMs
     * are work after an ack: their threads yield to the acks' (see {@link dev.gpudev.bot.runtime.AfterAck}).
     */
    private final List<ScheduledExecutorService> stripes = IntStream.range(0, 4)
            .mapToObj(i -> Threads.scheduledBackground("slack-notifier-" + i)).toList();
    private final Map<ReservationId, String> refs = new ConcurrentHashMap<>();
    /** A notice a newer one overtook is not delivered: the message never goes back to an older state. */
    private final LatestNotices latest = new LatestNotices();
    private volatile DeliveryListener listener = new DeliveryListener() {
        @Override
        public void delivered(Notice notice, @Nullable String chatRef) {
        }

        @Override
        public void undelivered(Notice notice) {
        }
    };

    /** @param attempts tries per notice; the wait before try n is {@code backoff * 2^n} unless Slack says {@code Retry-After} */
    public SlackNotifier(MethodsClient slack, int attempts, Duration backoff) {
        this.slack = slack;
        this.attempts = attempts;
        this.backoff = backoff;
    }

    /** Who hears about deliveries (with the message a restarted bot keeps updating) and about notices given up. */
    public void listen(DeliveryListener listener) {
        this.listener = listener;
    }

    @Override
    public void notify(Notice notice) {
        latest.issued(notice);
        try {
            stripe(notice).execute(() -> deliver(notice, 1));
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "shutting down: not telling " + notice.reservation().owner() + " about " + notice.reservation().id());
        }
    }

    private ScheduledExecutorService stripe(Notice notice) {
        return stripes.get(Math.floorMod(notice.reservation().id().hashCode(), stripes.size()));
    }

    private void deliver(Notice notice, int attempt) {
        if (latest.overtaken(notice)) {
            return;
        }
        @Nullable String ref;
        try {
            ref = send(notice);
        } catch (SlackApiException e) {
            Duration wait = e.getResponse().code() == 429
                    ? Duration.ofSeconds(Long.parseLong(e.getResponse().header("Retry-After", "1")))
                    : backoff.multipliedBy(1L << attempt);
            retry(notice, attempt, wait, e.getMessage());
            return;
        } catch (Exception e) {
            retry(notice, attempt, backoff.multipliedBy(1L << attempt), e.toString());
            return;
        }
        report(() -> listener.delivered(notice, ref));
    }

    private void retry(Notice notice, int attempt, Duration wait, String why) {
        if (attempt >= attempts) {
            LOG.log(Level.WARNING, "gave up telling " + notice.reservation().owner() + " about " + notice.reservation().id()
                    + " for now: " + why);
            if (notice instanceof Notice.Ended) {
                refs.remove(notice.reservation().id());
                latest.forget(notice);
            }
            report(() -> listener.undelivered(notice));
            return;
        }
        LOG.log(Level.WARNING, "Slack call failed (" + why + "); retry " + attempt + " in " + wait.toMillis() + " ms");
        try {
            stripe(notice).schedule(() -> deliver(notice, attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "shutting down: gave up telling " + notice.reservation().owner() + " about " + notice.reservation().id());
        }
    }

    private static void report(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not report a delivery: " + e.getMessage(), e);
        }
    }

    /** @return the main message's reference, or null for a reminder (a message of its own) */
    private @Nullable String send(Notice notice) throws Exception {
        var r = notice.reservation();
        if (notice instanceof Notice.Reminder) {
            post(dm(r.owner().value()), ReservationViews.of(notice), null);
            return null;
        }
        String known = refs.getOrDefault(r.id(), r.chatRef() == null ? "" : r.chatRef());
        Message m = ReservationViews.of(notice).replacing(known.isEmpty() ? null : known);
        String ref = "";
        if (m.replaces() != null) {
            String[] parts = m.replaces().split(":", 2);
            var updated = slack.chatUpdate(u -> u.channel(parts[0]).ts(parts[1]).text(BlockKit.slack(m.summary())).blocks(BlockKit.blocks(m)));
            if (!"message_not_found".equals(updated.getError())) {
                check(updated);
                ref = m.replaces();
                if (ReservationViews.alsoAsReply(notice)) {
                    post(parts[0], m, parts[1]);
                }
            }
        }
        if (ref.isEmpty()) {
            String channel = dm(r.owner().value());
            ref = channel + ":" + post(channel, m, null);
            refs.put(r.id(), ref);
        }
        if (notice instanceof Notice.Ended) {
            refs.remove(r.id());
            latest.forget(r.id());
        }
        return ref;
    }

    private String dm(String user) throws Exception {
        return check(slack.conversationsOpen(o -> o.users(List.of(user)))).getChannel().getId();
    }

    /** A notice with its blocks; a reply in the thread as text only (it is there to notify). */
    private String post(String channel, Message m, @Nullable String threadTs) throws Exception {
        return check(slack.chatPostMessage(p -> threadTs == null ? p.channel(channel).text(BlockKit.slack(m.summary())).blocks(BlockKit.blocks(m))
                : p.channel(channel).text(BlockKit.slack(m.summary())).threadTs(threadTs))).getTs();
    }

    private static <T extends SlackApiTextResponse> T check(T response) {
        if (!response.isOk()) {
            throw new IllegalStateException("Slack answered " + response.getError());
        }
        return response;
    }

    @Override
    public void close() {
        stripes.forEach(ScheduledExecutorService::shutdown);
    }
}
