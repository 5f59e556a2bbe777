package dev.gpudev.bot.slack;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;

import com.slack.api.methods.MethodsClient;
import org.jspecify.annotations.Nullable;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;

import dev.gpudev.bot.views.ReservationViews;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.Notifier;

/**
 * Delivers notices as DMs: one message per reservation, updated in place, with a threaded reply for the moments
 * a person must not miss (ready, ended) and a fresh DM for each reminder. Delivery is in order, off the
 * caller's thread, and retried (honouring Slack's {@code Retry-After}) so a message is never silently lost.
 */
public final class SlackNotifier implements Notifier, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SlackNotifier.class.getName());
    private static final int ATTEMPTS = 6;

    private final MethodsClient slack;
    /** Notices of one reservation go through one stripe, in order; different reservations are delivered in parallel. */
    private final List<ScheduledExecutorService> stripes = IntStream.range(0, 4)
            .mapToObj(i -> Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "slack-notifier-" + i);
                t.setDaemon(true);
                return t;
            })).toList();
    private final Map<ReservationId, String> refs = new ConcurrentHashMap<>();
    /** A long queue moves often: only the newest position of a reservation is worth an edit. */
    private final Map<ReservationId, Notice> newestQueued = new ConcurrentHashMap<>();
    private volatile BiConsumer<ReservationId, String> onPosted = (id, ref) -> { };

    public SlackNotifier(MethodsClient slack) {
        this.slack = slack;
    }

    /** Where to record the message of a reservation so a restarted bot keeps updating the same one. */
    public void onPosted(BiConsumer<ReservationId, String> callback) {
        this.onPosted = callback;
    }

    @Override
    public void notify(Notice notice) {
        if (notice instanceof Notice.Queued) {
            newestQueued.put(notice.reservation().id(), notice);
        }
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
        if (notice instanceof Notice.Queued && newestQueued.get(notice.reservation().id()) != notice) {
            return;
        }
        try {
            send(notice);
        } catch (SlackApiException e) {
            Duration wait = e.getResponse().code() == 429
                    ? Duration.ofSeconds(Long.parseLong(e.getResponse().header("Retry-After", "1")))
                    : Duration.ofMillis(250L << attempt);
            retry(notice, attempt, wait, e.getMessage());
        } catch (Exception e) {
            retry(notice, attempt, Duration.ofMillis(250L << attempt), e.toString());
        }
    }

    private void retry(Notice notice, int attempt, Duration wait, String why) {
        if (attempt >= ATTEMPTS) {
            LOG.log(Level.ERROR, "gave up telling " + notice.reservation().owner() + " about " + notice.reservation().id() + ": " + why);
            return;
        }
        LOG.log(Level.WARNING, "Slack call failed (" + why + "); retry " + attempt + " in " + wait.toMillis() + " ms");
        try {
            stripe(notice).schedule(() -> deliver(notice, attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "shutting down: gave up telling " + notice.reservation().owner() + " about " + notice.reservation().id());
        }
    }

    private void send(Notice notice) throws Exception {
        var r = notice.reservation();
        ReservationViews.Message m = ReservationViews.of(notice);
        if (notice instanceof Notice.Reminder) {
            post(dm(r.owner().value()), m, null);
            return;
        }
        String ref = refs.getOrDefault(r.id(), r.chatRef() == null ? "" : r.chatRef());
        if (ref.isEmpty()) {
            String channel = dm(r.owner().value());
            String ts = post(channel, m, null);
            ref = channel + ":" + ts;
            refs.put(r.id(), ref);
            onPosted.accept(r.id(), ref);
        } else {
            String[] parts = ref.split(":", 2);
            check(slack.chatUpdate(u -> u.channel(parts[0]).ts(parts[1]).text(m.text()).blocks(m.blocks())));
            if (notice instanceof Notice.Ready || notice instanceof Notice.Ended) {
                post(parts[0], new ReservationViews.Message(m.text(), List.of()), parts[1]);
            }
        }
        if (notice instanceof Notice.Queued) {
            newestQueued.remove(r.id(), notice);
        }
        if (notice instanceof Notice.Ended) {
            refs.remove(r.id());
            newestQueued.remove(r.id());
        }
    }

    private String dm(String user) throws Exception {
        return check(slack.conversationsOpen(o -> o.users(List.of(user)))).getChannel().getId();
    }

    private String post(String channel, ReservationViews.Message m, @Nullable String threadTs) throws Exception {
        return check(slack.chatPostMessage(p -> {
            p.channel(channel).text(m.text());
            if (!m.blocks().isEmpty()) {
                p.blocks(m.blocks());
            }
            return threadTs == null ? p : p.threadTs(threadTs);
        })).getTs();
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
