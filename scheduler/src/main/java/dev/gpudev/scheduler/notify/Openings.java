package dev.gpudev.scheduler.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Placement;
import dev.gpudev.scheduler.policy.Placer;
import dev.gpudev.scheduler.timeline.QueuePlan;
import dev.gpudev.scheduler.timeline.QueuePlanner;

/**
 * When a request of {@code gpus} × type for a duration, asked now by a person, would start: the same plan that gives
 * the queue its ETAs (promises to earlier requests kept, fair share applied), so "free" means what the queue would
 * really do, not merely idle GPUs someone else is promised.
 */
public final class Openings {
    private Openings() {
    }

    /**
     * Whether the request would start at once. The cheap check runs first (a node with that many free GPUs, from the
     * state's per-node counts): most changes free nothing big enough, and then no queue is planned.
     */
    public static boolean startsNow(SchedulerState state, Engine engine, Map<NodeName, Integer> free, Instant now,
                                    UserId user, GpuType type, int gpus, Duration duration) {
        if (!(Placer.place(state.cluster(), free, type, gpus) instanceof Placement.Placed)) {
            return false;
        }
        Instant eta = eta(state, engine, now, user, type, gpus, duration);
        return eta != null && !eta.isAfter(now);
    }

    /** The planned start of the request if it were asked now; null when no node can hold it at any time the plan knows. */
    public static @Nullable Instant eta(SchedulerState state, Engine engine, Instant now, UserId user, GpuType type, int gpus,
                                        Duration duration) {
        Reservation probe = Reservation.queued(new ReservationId(type.name() + "-ffffffffffff"), user, type.name(), gpus, duration,
                RequestOptions.NONE, now);
        List<Reservation> all = new ArrayList<>(state.live().values());
        all.add(probe);
        QueuePlan plan = QueuePlanner.plan(type, state.cluster(), all, state.drained(), engine.limits(), engine.policy(), now,
                r -> !r.id().equals(probe.id()));
        QueuePlan.Entry e = plan.byId().get(probe.id());
        return e == null ? null : e.eta();
    }
}
