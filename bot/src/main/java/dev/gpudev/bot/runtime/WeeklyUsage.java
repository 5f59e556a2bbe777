package dev.gpudev.bot.runtime;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.gpudev.bot.conversation.Message;
import dev.gpudev.bot.conversation.UsageViews;
import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.usage.UsageOutcome;
import dev.gpudev.scheduler.usage.UsagePeriod;
import dev.gpudev.scheduler.usage.UsageReports;
import dev.gpudev.scheduler.usage.UsageScope;

/**
 * The weekly usage summary, on the leader: at the configured day and hour (UTC) it posts the last 7 days to the queue
 * channel, once per week (not at all in a week in which nobody held GPUs). "Once" is a claim in the store named by the week's slot, so a restart or a new leader does not
 * post it again; a leader that comes up late posts it if the slot is less than a day old, else skips that week.
 */
public final class WeeklyUsage {
    private static final System.Logger LOG = System.getLogger(WeeklyUsage.class.getName());
    static final Duration CATCH_UP = Duration.ofDays(1);
    private static final Actor BOT = Actor.admin(new UserId("UGPUDEVBOT"));

    /** @param day empty: off */
    public record Settings(Optional<DayOfWeek> day, int hour, Duration checkEvery) {
        public Settings {
            if (hour < 0 || hour > 23) {
                throw new IllegalArgumentException("usage.weekly.hour is an hour of the day in UTC, 0 to 23, not " + hour);
            }
            if (!checkEvery.isPositive()) {
                throw new IllegalArgumentException("usage.weekly.check-every must be positive, not " + checkEvery);
            }
        }
    }

    /** Where the summary goes (the queue channel). */
    @FunctionalInterface
    public interface Post {
        void send(Message summary) throws Exception;
    }

    private final UsageReports reports;
    private final Predicate<String> claimOnce;
    private final Clock clock;
    private final Settings settings;
    private final Post post;

    /** @param claimOnce records a key once: true the first time (the store's claim) */
    public WeeklyUsage(UsageReports reports, Predicate<String> claimOnce, Clock clock, Settings settings, Post post) {
        this.reports = reports;
        this.claimOnce = claimOnce;
        this.clock = clock;
        this.settings = settings;
        this.post = post;
    }

    public void start(ScheduledExecutorService executor) {
        if (settings.day().isPresent()) {
            long every = settings.checkEvery().toMillis();
            executor.scheduleWithFixedDelay(this::check, 0, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Posts this week's summary if its slot has come, is less than a day old, and nobody posted it yet. */
    public void check() {
        try {
            Optional<Instant> slot = slot(clock.instant());
            if (slot.isEmpty() || !claimOnce.test("usage-weekly:" + slot.get())) {
                return;
            }
            if (reports.report(BOT, UsagePeriod.WEEK, new UsageScope.Everyone()) instanceof UsageOutcome.Report(var report)) {
                if (report.cluster().reservations() == 0) {
                    LOG.log(Level.INFO, "nobody held GPUs in the last 7 days: no weekly usage summary this week");
                    return;
                }
                post.send(UsageViews.weekly(report));
            }
        } catch (Exception e) {
            // A failed post is not retried this week: a second post after a partial one would be worse than none.
            LOG.log(Level.WARNING, "the weekly usage summary was not posted: " + e.getMessage());
        }
    }

    /** The latest slot at or before {@code now}, if it is less than {@link #CATCH_UP} old. */
    Optional<Instant> slot(Instant now) {
        if (settings.day().isEmpty()) {
            return Optional.empty();
        }
        ZonedDateTime at = now.atZone(ZoneOffset.UTC);
        ZonedDateTime slot = at.with(TemporalAdjusters.previousOrSame(settings.day().get())).withHour(settings.hour()).withMinute(0)
                .withSecond(0).withNano(0);
        if (slot.isAfter(at)) {
            slot = slot.minusWeeks(1);
        }
        return Duration.between(slot.toInstant(), now).compareTo(CATCH_UP) < 0 ? Optional.of(slot.toInstant()) : Optional.empty();
    }
}
