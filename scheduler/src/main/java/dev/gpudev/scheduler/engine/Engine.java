package dev.gpudev.scheduler.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.delivery.Ledger;
import dev.gpudev.scheduler.delivery.Reminders;
import dev.gpudev.scheduler.idle.IdleMarks;
import dev.gpudev.scheduler.model.Booking;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.policy.BookingLimits;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.Placer;
import dev.gpudev.scheduler.policy.QueuePolicy;
import dev.gpudev.scheduler.timeline.Bookings;
import dev.gpudev.scheduler.timeline.QueuePlan;
import dev.gpudev.scheduler.timeline.QueuePlanner;
import dev.gpudev.scheduler.timeline.Timeline;

/**
 * {@code decide(state, now, event) -> (state', changed, effects)}: pure and deterministic. Every event is
 * followed by a scheduling pass over the queues, so a freed GPU is given out at once, not on the next poll.
 * A pass: (1) plan each type's queue before the event, for comparison; (2) apply the event; (3) plan again and start
 * what the plan starts; (4) tell every waiting request whose position or ETA changed.
 */
public final class Engine {
    /** Planning passes per decision at most; each pass after the first only runs when the one before started something. */
    private static final int MAX_PASSES = 8;
    private final GpuCatalog catalog;
    private final Limits limits;
    private final QueuePolicy policy;
    private final StartRule starts;
    private final Timeline timeline;
    private final Reminders reminders;
    private final BookingLimits bookings;

    public Engine(GpuCatalog catalog, Limits limits) {
        this(catalog, limits, QueuePolicy.GPU_DEV_BOT, StartRule.ANY);
    }

    public Engine(GpuCatalog catalog, Limits limits, BookingLimits bookings) {
        this(catalog, limits, QueuePolicy.GPU_DEV_BOT, StartRule.ANY, bookings);
    }

    /** An engine with another queue policy and start rule: the baselines of the trace replay. */
    public Engine(GpuCatalog catalog, Limits limits, QueuePolicy policy, StartRule starts) {
        this(catalog, limits, policy, starts, BookingLimits.defaults());
    }

    public Engine(GpuCatalog catalog, Limits limits, QueuePolicy policy, StartRule starts, BookingLimits bookings) {
        this.catalog = catalog;
        this.bookings = bookings;
        this.limits = limits;
        this.policy = policy;
        this.starts = starts;
        this.timeline = new Timeline(limits, bookings);
        this.reminders = new Reminders(limits);
    }

    public Limits limits() {
        return limits;
    }

    public BookingLimits bookings() {
        return bookings;
    }

    /** Where a booking would go now, or the nearest windows that would hold it (see {@link Bookings#fit}). */
    public Bookings.Fit fitBooking(SchedulerState state, String gpuType, int gpus, Duration duration, Instant start, Instant now) {
        GpuType type = catalog.require(gpuType);
        return Bookings.fit(type, state.cluster(), state.holds(type.name()), state.queue(type.name()), state.drained(), limits, now,
                start, gpus, duration, now.plus(bookings.maxAhead()));
    }

    public QueuePolicy policy() {
        return policy;
    }

    public GpuCatalog catalog() {
        return catalog;
    }

    /** A new access (Jupyter on or off) redraws the owner's message; the access of a server not running is not taken. */
    private static void optionsChanged(Step step, Reservation r, Event.OptionsChanged o) {
        Reservation next = r.withOptions(o.options());
        if (o.access() != null && r.state() == ReservationState.ACTIVE && !o.access().equals(r.access())) {
            step.notify(new Notice.Changed(step.put(next.withAccess(o.access()))));
        } else {
            step.putIfChanged(r, next);
        }
    }

    public Decision decide(SchedulerState state, Instant now, Event event) {
        // A delivery record frees and takes nothing: no scheduling pass follows it.
        boolean schedules = !(event instanceof Event.Delivered);
        Predicate<Reservation> mayStart = starts.after(event);
        Map<String, QueuePlan> before = schedules ? plans(state, now, mayStart) : Map.of();
        Step step = new Step(state);
        switch (event) {
            case Event.Submitted s -> submit(step, s.reservation(), now);
            case Event.CancelRequested c -> step.find(c.id()).ifPresent(r -> step.end(r, EndReason.CANCELLED, c.why(), now));
            case Event.ExtendRequested e -> step.find(e.id()).ifPresent(r -> extend(step, r, e, now));
            case Event.OptionsChanged o -> step.find(o.id()).filter(Reservation::live).ifPresent(r -> optionsChanged(step, r, o));
            case Event.ServerReady ready -> step.find(ready.id())
                    .filter(r -> r.state() == ReservationState.PROVISIONING)
                    .ifPresent(r -> step.notify(new Notice.Ready(step.put(r.active(ready.access(), now)))));
            case Event.ServerFailed f -> step.find(f.id()).ifPresent(r -> step.end(r, EndReason.FAILED, f.reason(), now));
            case Event.ServerVanished v -> step.find(v.id()).filter(r -> r.state().holdsGpus())
                    .ifPresent(r -> step.end(r, EndReason.FAILED, v.reason(), now));
            case Event.ServerProgress p -> step.find(p.id())
                    .filter(r -> r.state() == ReservationState.PROVISIONING && !r.detail().equals(p.text()))
                    .ifPresent(r -> step.notify(new Notice.Starting(step.put(r.withDetail(p.text())))));
            case Event.ClusterChanged c -> step.state = step.state.withCluster(c.snapshot());
            case Event.Drain d -> {
                Set<NodeName> drained = new HashSet<>(step.state.drained());
                if (d.drained()) {
                    drained.add(d.node());
                } else {
                    drained.remove(d.node());
                }
                step.state = step.state.withDrained(drained);
            }
            case Event.Tick t -> expire(step, now);
            case Event.BookingUsed u -> step.find(u.id()).filter(r -> r.live() && r.booking() != null)
                    .ifPresent(r -> step.putIfChanged(r, r.withBooking(Objects.requireNonNull(r.booking()).usedNow())));
            case Event.Delivered d -> step.find(d.notice().reservation().id())
                    .ifPresent(r -> step.putIfChanged(r, d.notice() instanceof Notice.IdleQuestion q
                            ? r.withIdle(IdleMarks.shown(r.idle(), q, now)) : Ledger.recorded(r, d.notice(), d.chatRef())));
            case Event.IdleChecked c -> step.find(c.id()).filter(r -> r.state() == ReservationState.ACTIVE).ifPresent(r -> {
                var o = IdleMarks.checked(r, c.rule(), c.exempt(), c.activity(), !step.state.queue(r.gpuType()).isEmpty(), now);
                if (o.reclaim() != null) {
                    step.end(r, EndReason.RECLAIMED_IDLE, o.reclaim(), now);
                } else if (o.mark() != null) {
                    step.put(r.withIdle(o.mark()));
                    if (o.question() != null) {
                        step.notify(o.question());
                    }
                }
            });
            case Event.IdleKept k -> step.find(k.id()).filter(r -> r.state() == ReservationState.ACTIVE)
                    .ifPresent(r -> step.put(r.withIdle(IdleMarks.kept(r.idle(), k.rule(), now))));
        }
        if (schedules) {
            schedule(step, now, mayStart, before);
        }
        return new Decision(step.state, List.copyOf(step.changed.values()), step.effects);
    }

    /** The next instant at which a {@link Event.Tick} has work to do. Incremental: see {@link SchedulerState#fold}. */
    public Optional<Instant> nextWakeup(SchedulerState state) {
        return state.fold(timeline, timeline::nextWakeup, (a, b) -> a.isBefore(b) ? a : b);
    }

    /** Each GPU type's queue plan: who waits, in which position, until when. Types with an empty queue are absent. */
    public Map<String, QueuePlan> plans(SchedulerState state, Instant now) {
        return plans(state, now, r -> true);
    }

    private Map<String, QueuePlan> plans(SchedulerState state, Instant now, Predicate<Reservation> mayStart) {
        Map<String, QueuePlan> plans = new LinkedHashMap<>();
        for (GpuType type : catalog.types()) {
            if (!state.queue(type.name()).isEmpty()) {
                plans.put(type.name(), plan(type, state, now, mayStart));
            }
        }
        return plans;
    }

    private QueuePlan plan(GpuType type, SchedulerState state, Instant now, Predicate<Reservation> mayStart) {
        return QueuePlanner.plan(type, state.cluster(), state.queue(type.name()), state.holds(type.name()),
                state.holders(type.name()), state.held(), state.drained(), limits, policy, now, mayStart, state.releases().expected());
    }

    private void submit(Step step, Reservation asked, Instant now) {
        Optional<String> never = catalog.find(asked.gpuType())
                .map(type -> Placer.impossible(step.state.cluster(), type, asked.gpus()))
                .orElse(Optional.of("there is no GPU type " + asked.gpuType()));
        Reservation r = asked;
        Booking b = asked.booking();
        if (never.isEmpty() && b != null) {
            Bookings.Fit fit = fitBooking(step.state, r.gpuType(), r.gpus(), r.duration(), b.startsAt(), now);
            never = fit.placed() ? never : Optional.of("its GPUs are not free for the booked window");
            r = fit.placed() ? r.withBooking(b.on(fit.nodes())) : r;
        }
        step.put(r);
        if (never.isPresent()) {
            step.end(r, EndReason.REJECTED, never.get(), now);
        }
    }

    private void extend(Step step, Reservation r, Event.ExtendRequested e, Instant now) {
        Optional<String> refusal = timeline.extensionRefusal(r, e.by());
        if (refusal.isPresent()) {
            step.effects.add(new Effect.Refused(r.id(), refusal.get()));
            return;
        }
        if (!e.force()) {
            Optional<Reservation> delayed = wouldDelay(step.state, r, e.by(), now);
            if (delayed.isPresent()) {
                Reservation d = delayed.get();
                step.effects.add(new Effect.Refused(r.id(), "extending would delay queued request " + d.id() + " ("
                        + d.gpus() + " " + d.gpuType() + " GPUs), which is planned to start on these GPUs"));
                return;
            }
        }
        Reservation longer = r.extended(e.by());
        // extending a started booking is using it
        step.notify(new Notice.Extended(step.put(r.booking() == null || !r.state().holdsGpus() ? longer : longer.withBooking(r.booking().usedNow()))));
    }

    /** The first queued request of the same type whose planned start the extension would push later. */
    private Optional<Reservation> wouldDelay(SchedulerState state, Reservation r, Duration by, Instant now) {
        GpuType type = catalog.require(r.gpuType());
        QueuePlan now0 = plan(type, state, now, any -> true);
        if (now0.entries().isEmpty()) {
            return Optional.empty();
        }
        SchedulerState longer = state.with(r.extended(by));
        Map<ReservationId, QueuePlan.Entry> after = plan(type, longer, now, any -> true).byId();
        return now0.entries().stream()
                .filter(e -> !e.reservation().id().equals(r.id()) && e.eta() != null)
                .filter(e -> {
                    QueuePlan.Entry later = after.get(e.reservation().id());
                    return later == null || later.eta() == null || later.eta().isAfter(Objects.requireNonNull(e.eta()));
                })
                .map(QueuePlan.Entry::reservation)
                .findFirst();
    }

    private void expire(Step step, Instant now) {
        for (Reservation r : List.copyOf(step.state.live().values())) {
            switch (r.state()) {
                case ACTIVE -> {
                    Instant unused = timeline.unusedAt(r);
                    if (unused != null && !now.isBefore(unused)) {
                        step.end(r, EndReason.UNUSED, "nobody used the booking within " + Durations.format(bookings.unusedGrace())
                                + " of its start", now);
                    } else if (!now.isBefore(r.endsAt())) {
                        step.end(r, EndReason.EXPIRED, "its time ran out", now);
                    } else {
                        reminders.markDue(r, now).ifPresent(marked -> step.notify(reminders.reminder(step.put(marked), now)));
                    }
                }
                case QUEUED -> {
                    if (r.booking() != null) {
                        bookingDue(step, r, r.booking(), now);
                    } else if (!now.isBefore(r.requestedAt().plus(limits.queueTimeout()))) {
                        step.end(r, EndReason.EXPIRED, "it waited " + Durations.format(limits.queueTimeout()) + " in the queue without starting", now);
                    }
                }
                case PROVISIONING -> {
                    if (!now.isBefore(r.updatedAt().plus(limits.provisionTimeout()))) {
                        step.end(r, EndReason.FAILED, "the server was not ready within " + Durations.format(limits.provisionTimeout())
                                + (r.detail().isBlank() ? "" : " (last: " + r.detail() + ")"), now);
                    }
                }
                case ENDED -> {
                }
            }
        }
    }

    /** A queued booking's moments: the reminder before its start, its start (from then on it is due), the end of its window. */
    private void bookingDue(Step step, Reservation r, Booking b, Instant now) {
        Instant remind = b.startsAt().minus(bookings.reminder());
        if (!now.isBefore(Timeline.windowEnd(r))) {
            step.end(r, EndReason.EXPIRED, "its booked window passed before its GPUs came free", now);
        } else if (!b.due() && !now.isBefore(b.startsAt())) {
            step.put(r.withBooking(b.dueNow()));
        } else if (!b.reminded() && !now.isBefore(remind)) {
            Reservation marked = step.put(r.withBooking(b.remindedNow()));
            if (r.requestedAt().isBefore(remind)) {
                step.notify(new Notice.BookingReminder(marked, Duration.between(now, b.startsAt())));
            }
        }
    }

    /** Starts what each type's plan starts, then tells the waiting requests whose position or told ETA changed. */
    private void schedule(Step step, Instant now, Predicate<Reservation> mayStart, Map<String, QueuePlan> before) {
        // A start can reorder the queue (fair share) or cap its owner, which lifts the promise made to that owner's
        // request walked earlier: plan again until nothing more starts, so no GPU idles until the next event.
        Map<String, QueuePlan> plans;
        boolean started;
        int rounds = 0;
        do {
            plans = plans(step.state, now, mayStart);
            started = false;
            for (QueuePlan plan : plans.values()) {
                for (QueuePlan.Entry e : plan.starting()) {
                    Reservation r = step.put(e.reservation().provisioning(e.startOn(), now));
                    step.effects.add(new Effect.Provision(r));
                    step.notify(new Notice.Starting(r));
                    started = true;
                }
            }
        } while (started && ++rounds < MAX_PASSES);
        for (Map.Entry<String, QueuePlan> typed : plans.entrySet()) {
            Map<ReservationId, QueuePlan.Entry> earlier = before.containsKey(typed.getKey()) ? before.get(typed.getKey()).byId() : Map.of();
            for (QueuePlan.Entry e : typed.getValue().waiting()) {
                Booking b = e.reservation().booking();
                if (b != null && !e.promised().isEmpty() && !e.promised().equals(b.nodes())) {
                    // a pinned node was lost: the booking moves to the nodes this plan keeps for it
                    e = new QueuePlan.Entry(step.put(e.reservation().withBooking(b.on(e.promised()))), e.startOn(), e.position(), e.eta(), e.promised(), e.told());
                }
                QueuePlan.Entry was = earlier.get(e.reservation().id());
                if (was == null || was.position() != e.position() || !sameMinute(was.told(), e.told())) {
                    step.notify(new Notice.Queued(e.reservation(), e.position(), e.told()));
                }
            }
        }
    }

    /** ETAs are shown to the minute; a change of seconds is not worth a message. */
    private static boolean sameMinute(@Nullable Instant a, @Nullable Instant b) {
        return a == null || b == null ? a == b : a.truncatedTo(ChronoUnit.MINUTES).equals(b.truncatedTo(ChronoUnit.MINUTES));
    }

    /** The state being built by one decision, with the reservations it changed and the effects it asks for. */
    private static final class Step {
        SchedulerState state;
        final Map<ReservationId, Reservation> changed = new LinkedHashMap<>();
        final List<Effect> effects = new ArrayList<>();

        Step(SchedulerState state) {
            this.state = state;
        }

        Optional<Reservation> find(ReservationId id) {
            return state.find(id);
        }

        Reservation put(Reservation r) {
            state = state.with(r);
            changed.put(r.id(), r);
            return r;
        }

        void putIfChanged(Reservation was, Reservation now) {
            if (!now.equals(was)) {
                put(now);
            }
        }

        void notify(Notice notice) {
            effects.add(new Effect.Notify(notice));
        }

        void end(Reservation r, EndReason reason, String why, Instant now) {
            Reservation ended = put(r.ended(reason, why, now));
            if (r.state().holdsGpus()) {
                effects.add(new Effect.Release(ended));
            }
            notify(new Notice.Ended(ended));
        }
    }
}
