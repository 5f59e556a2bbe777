package dev.gpudev.scheduler.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.Placement;
import dev.gpudev.scheduler.policy.Placer;
import dev.gpudev.scheduler.timeline.Timeline;

/**
 * {@code decide(state, now, event) -> (state', changed, effects)}: pure and deterministic. Every event is
 * followed by a scheduling pass over the queues, so a freed GPU is given out at once, not on the next poll.
 */
public final class Engine {
    private final GpuCatalog catalog;
    private final Limits limits;
    private final Timeline timeline;

    public Engine(GpuCatalog catalog, Limits limits) {
        this.catalog = catalog;
        this.limits = limits;
        this.timeline = new Timeline(limits);
    }

    public Limits limits() {
        return limits;
    }

    public Decision decide(SchedulerState state, Instant now, Event event) {
        Step step = new Step(state);
        switch (event) {
            case Event.Submitted s -> step.put(s.reservation());
            case Event.CancelRequested c -> step.find(c.id()).ifPresent(r -> step.end(r, EndReason.CANCELLED, c.why(), now));
            case Event.ExtendRequested e -> step.find(e.id()).ifPresent(r -> extend(step, r, e, now));
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
        }
        schedule(step, now, event);
        return new Decision(step.state, List.copyOf(step.changed.values()), step.effects);
    }

    /** The next instant at which a {@link Event.Tick} has work to do. */
    public Optional<Instant> nextWakeup(SchedulerState state) {
        return timeline.nextWakeup(state.live().values());
    }

    private void extend(Step step, Reservation r, Event.ExtendRequested e, Instant now) {
        Optional<String> refusal = timeline.extensionRefusal(r, e.by());
        if (refusal.isPresent()) {
            step.effects.add(new Effect.Refused(r.id(), refusal.get()));
            return;
        }
        if (!e.force()) {
            Optional<Reservation> delayed = wouldDelay(step.state, r, e.by());
            if (delayed.isPresent()) {
                step.effects.add(new Effect.Refused(r.id(), "a queued request (" + delayed.get().id() + ", "
                        + delayed.get().gpus() + " GPUs) is waiting for these GPUs; extending would delay it"));
                return;
            }
        }
        step.notify(new Notice.Extended(step.put(r.extended(e.by()))));
    }

    /** A queued request of the same type that could use the GPUs this reservation frees at its end. */
    private Optional<Reservation> wouldDelay(SchedulerState state, Reservation r, Duration by) {
        return state.queue(r.gpuType()).stream().findFirst();
    }

    private void expire(Step step, Instant now) {
        for (Reservation r : List.copyOf(step.state.live().values())) {
            switch (r.state()) {
                case ACTIVE -> {
                    if (!now.isBefore(r.endsAt())) {
                        step.end(r, EndReason.EXPIRED, "its time ran out", now);
                    } else {
                        timeline.dueReminder(r, now).ifPresent(lead -> {
                            Reservation marked = r;
                            for (Duration d : limits.reminders()) {
                                if (d.compareTo(lead) >= 0 && !marked.remindersSent().contains(d)) {
                                    marked = marked.withReminderSent(d);
                                }
                            }
                            step.notify(new Notice.Reminder(step.put(marked), Duration.between(now, r.endsAt()),
                                    lead.equals(limits.reminders().getLast())));
                        });
                    }
                }
                case QUEUED -> {
                    if (!now.isBefore(r.requestedAt().plus(limits.queueTimeout()))) {
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

    /** Starts every queued request that fits, in arrival order per type, then tells the rest their position. */
    private void schedule(Step step, Instant now, Event event) {
        for (GpuType type : catalog.types()) {
            List<Reservation> queue = step.state.queue(type.name());
            if (queue.isEmpty()) {
                continue;
            }
            Map<NodeName, Integer> free = Placer.free(step.state.cluster(), step.state.live().values(), step.state.drained());
            int position = 0;
            boolean blocked = false;
            for (Reservation r : queue) {
                Placement p = blocked ? new Placement.Waiting("behind an earlier request") : Placer.place(step.state.cluster(), free, type, r.gpus());
                switch (p) {
                    case Placement.Placed placed -> {
                        Reservation started = step.put(r.provisioning(placed.nodes(), now));
                        placed.nodes().forEach(n -> free.computeIfPresent(n, (k, v) -> v - started.gpusPerNode()));
                        step.effects.add(new Effect.Provision(started));
                        step.notify(new Notice.Starting(started));
                    }
                    case Placement.Impossible impossible -> step.end(r, EndReason.REJECTED, impossible.why(), now);
                    case Placement.Waiting waiting -> {
                        blocked = true;
                        position++;
                        if (event instanceof Event.Submitted s && s.reservation().id().equals(r.id())) {
                            step.notify(new Notice.Queued(r, position, null));
                        }
                    }
                }
            }
        }
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
