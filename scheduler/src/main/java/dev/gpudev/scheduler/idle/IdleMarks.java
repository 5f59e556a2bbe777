package dev.gpudev.scheduler.idle;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.IdleMark;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;

/**
 * {@link IdleWatch} over the {@link IdleMark} a reservation keeps: the engine and the poller call the same function, so
 * the poller only sends what the engine will decide again on the state as it is then. The grace counts from the moment
 * the front-end confirmed showing the question: a question lost in a crash or a chat outage never starts it.
 */
public final class IdleMarks {
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private IdleMarks() {
    }

    /**
     * What a poll changes: the mark (null: nothing), the question to issue (null: none), or why it is reclaimed (null:
     * it is not).
     */
    public record Outcome(@Nullable IdleMark mark, Notice.@Nullable IdleQuestion question, @Nullable String reclaim) {
        public static final Outcome NOTHING = new Outcome(null, null, null);

        public boolean changes() {
            return mark != null || reclaim != null;
        }
    }

    /** A poll of an ACTIVE reservation with its activity over the rule's window ending {@code now}. */
    public static Outcome checked(Reservation r, IdleRule rule, boolean exempt, Activity activity, boolean othersWaiting, Instant now) {
        IdleMark m = r.idle();
        IdleWatch.Step step = IdleWatch.step(rule, exempt, state(m, now), new IdleInput.Tick(now, activity, othersWaiting));
        @Nullable Instant idleSince = activity instanceof Activity.Known k
                ? (k.idle() ? (m.idleSince() != null ? m.idleSince() : now.minus(k.span())) : null) : m.idleSince();
        return switch (step.action()) {
            case IdleAction.Ask ask -> {
                IdleMark next = new IdleMark(idleSince, now, null, null, m.questions() + 1);
                yield new Outcome(next, question(r.withIdle(next), ask.activity(), rule), null);
            }
            case IdleAction.Withdraw w -> new Outcome(new IdleMark(idleSince, null, null, m.keptUntil(), m.questions()), null, null);
            case IdleAction.Reclaim rc -> new Outcome(null, null, "its " + r.gpus() + " GPU" + (r.gpus() == 1 ? " was" : "s were")
                    + " below " + percent(rule.threshold()) + " for " + minutes(rule.idleFor()) + ", the question shown at "
                    + HH_MM.format(rc.askedAt()) + " went unanswered for " + minutes(Duration.between(rc.askedAt(), now))
                    + ", and others wait for " + r.gpuType());
            default -> Objects.equals(idleSince, m.idleSince()) ? Outcome.NOTHING
                    : new Outcome(new IdleMark(idleSince, m.askedAt(), m.shownAt(), m.keptUntil(), m.questions()), null, null);
        };
    }

    /** Keep: no question until {@code now + snooze}; the open one is answered. */
    public static IdleMark kept(IdleMark m, IdleRule rule, Instant now) {
        IdleWatch.Step step = IdleWatch.step(rule, false, state(m, now), new IdleInput.Keep(now));
        Instant until = ((IdleState.Snoozed) step.state()).until();
        return new IdleMark(m.idleSince(), null, null, until, m.questions());
    }

    /** The front-end showed the open question: its grace starts now. A late confirmation of an older one changes nothing. */
    public static IdleMark shown(IdleMark m, Notice.IdleQuestion q, Instant now) {
        boolean current = m.askedAt() != null && m.askedAt().equals(q.reservation().idle().askedAt());
        return current && m.shownAt() == null ? new IdleMark(m.idleSince(), m.askedAt(), now, m.keptUntil(), m.questions()) : m;
    }

    /** The question for an asked reservation (for issuing it again after a restart too). */
    public static Notice.IdleQuestion question(Reservation asked, Activity.Known a, IdleRule rule) {
        return new Notice.IdleQuestion(asked, rule.idleFor(), a.meanUtil(), a.peakMemoryMib(), rule.grace(), rule.snooze());
    }

    /**
     * The mark as {@link IdleWatch}'s state. A question not yet shown is asked "now" on every poll, so its grace has not
     * started; a Keep that ran out is a snooze in the past, which IdleWatch treats as watching.
     */
    static IdleState state(IdleMark m, Instant now) {
        if (m.askedAt() != null) {
            return new IdleState.Asked(m.shownAt() != null ? m.shownAt() : now);
        }
        return m.keptUntil() != null ? new IdleState.Snoozed(m.keptUntil()) : IdleState.WATCHING;
    }

    public static String percent(double p) {
        return String.format(Locale.ROOT, "%.0f %%", p);
    }

    public static String minutes(Duration d) {
        long m = d.toMinutes();
        return m >= 120 && m % 60 == 0 ? m / 60 + " h" : m + " min";
    }
}
