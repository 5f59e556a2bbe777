package dev.gpudev.bot.runtime;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.delivery.LatestNotices;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.DeliveryListener;

/**
 * The delivery half every chat platform shares: notices of one reservation go through one stripe, in order, different
 * reservations in parallel, on threads that yield to the acks (see {@link AfterAck}); a notice a newer one overtook is
 * skipped, so a message never goes back to an older state; a failed send is retried {@code attempts} times, waiting
 * {@code backoff * 2^n} unless the platform names a wait; each outcome is reported to the {@link DeliveryListener},
 * which records deliveries and issues again, on a later tick, what this gave up on. The platform only sends.
 */
public final class NoticeDelivery implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NoticeDelivery.class.getName());

    /** Sends one notice; returns the reference of the reservation's main message, or null for a message of its own. */
    @FunctionalInterface
    public interface Send {
        @Nullable String send(Notice notice) throws Exception;
    }

    private final Send send;
    private final Function<Exception, Optional<Duration>> namedWait;
    private final int attempts;
    private final Duration backoff;
    private final List<ScheduledExecutorService> stripes;
    private final Map<ReservationId, String> refs = new ConcurrentHashMap<>();
    private final LatestNotices latest = new LatestNotices();
    private volatile DeliveryListener listener = new DeliveryListener() {
        @Override
        public void delivered(Notice notice, @Nullable String chatRef) {
        }

        @Override
        public void undelivered(Notice notice) {
        }
    };

    /** @param namedWait the wait a failure asks for (a rate limit's {@code Retry-After}), if any */
    public NoticeDelivery(String name, int stripes, int attempts, Duration backoff, Send send,
            Function<Exception, Optional<Duration>> namedWait) {
        this.send = send;
        this.namedWait = namedWait;
        this.attempts = attempts;
        this.backoff = backoff;
        this.stripes = IntStream.range(0, stripes).mapToObj(i -> Threads.scheduledBackground(name + "-" + i)).toList();
    }

    /** Who hears about deliveries (with the message a restarted bot keeps updating) and about notices given up. */
    public void listen(DeliveryListener listener) {
        this.listener = listener;
    }

    public void submit(Notice notice) {
        latest.issued(notice);
        try {
            stripe(notice).execute(() -> deliver(notice, 1));
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "shutting down: not telling " + notice.reservation().owner() + " about " + notice.reservation().id());
        }
    }

    /** The main message this bot sent for a reservation since it started (the stored chat ref covers a restart). */
    public Optional<String> ref(ReservationId id) {
        return Optional.ofNullable(refs.get(id));
    }

    public void remember(ReservationId id, String ref) {
        refs.put(id, ref);
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
            ref = send.send(notice);
        } catch (Exception e) {
            retry(notice, attempt, namedWait.apply(e).orElse(backoff.multipliedBy(1L << attempt)), e.toString());
            return;
        }
        if (notice instanceof Notice.Ended) {
            refs.remove(notice.reservation().id());
            latest.forget(notice.reservation().id());
        }
        report(() -> listener.delivered(notice, ref));
    }

    private void retry(Notice notice, int attempt, Duration wait, String why) {
        var r = notice.reservation();
        if (attempt >= attempts) {
            LOG.log(Level.WARNING, "gave up telling " + r.owner() + " about " + r.id() + " for now: " + why);
            if (notice instanceof Notice.Ended) {
                refs.remove(r.id());
                latest.forget(notice);
            }
            report(() -> listener.undelivered(notice));
            return;
        }
        LOG.log(Level.WARNING, "delivery failed (" + why + "); retry " + attempt + " in " + wait.toMillis() + " ms");
        try {
            stripe(notice).schedule(() -> deliver(notice, attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "shutting down: gave up telling " + r.owner() + " about " + r.id());
        }
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
        stripes.forEach(ScheduledExecutorService::shutdown);
    }
}
