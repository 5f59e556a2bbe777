package dev.gpudev.bot.runtime;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.gpudev.bot.conversation.NotifyViews;
import dev.gpudev.bot.conversation.Outbox;
import dev.gpudev.scheduler.app.Notifications;
import dev.gpudev.scheduler.app.Reservations;
import dev.gpudev.scheduler.model.Subscription;

/**
 * The leader's side of {@code /gpu notify}: after each change of the reservations (a server released, a node drained,
 * undrained or added, a request queued), debounced, it asks {@link Notifications#due} what fired and DMs it; once a
 * minute too, so expiries and a DM that failed are not left for the next change. One thread of its own, so a slow
 * chat API delays no ack, tick or effect.
 */
public final class NotifyRunner implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NotifyRunner.class.getName());
    static final Duration DEBOUNCE = Duration.ofSeconds(1);
    static final Duration SWEEP = Duration.ofMinutes(1);

    private final Notifications notifications;
    private final Outbox outbox;
    private final Reservations reservations;
    private final ScheduledExecutorService thread = Threads.scheduled("notify", 1);
    private final Debounce pass = Debounce.on(thread, DEBOUNCE, this::pass);

    public NotifyRunner(Notifications notifications, Outbox outbox, Reservations reservations) {
        this.notifications = notifications;
        this.outbox = outbox;
        this.reservations = reservations;
    }

    /** Once this replica leads: read the subscriptions, then DM what is owed (a crash may have left some) and follow changes. */
    public void start() {
        thread.execute(() -> {
            try {
                notifications.start();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "notify: could not read the subscriptions; reading them again in a minute: " + e.getMessage());
                thread.schedule(this::start, SWEEP.toSeconds(), TimeUnit.SECONDS);
                return;
            }
            reservations.onChange(pass::request);
            thread.scheduleWithFixedDelay(pass::request, SWEEP.toSeconds(), SWEEP.toSeconds(), TimeUnit.SECONDS);
            pass.request();
        });
    }

    private void pass() {
        try {
            for (Subscription s : notifications.due()) {
                try {
                    outbox.send(s.user(), NotifyViews.fired(s));
                    notifications.delivered(s);
                } catch (Exception e) {
                    LOG.log(Level.WARNING, "notify: the DM of " + s.id() + " was not sent; trying again in a minute: " + e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "notify: a pass failed; the next change or sweep tries again: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
