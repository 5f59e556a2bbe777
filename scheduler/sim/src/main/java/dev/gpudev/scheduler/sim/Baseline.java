package dev.gpudev.scheduler.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import dev.gpudev.scheduler.engine.Event;
import dev.gpudev.scheduler.engine.StartRule;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.QueuePolicy;

/** The policies people would otherwise use, run through the same engine by the replay. All serve in arrival order. */
enum Baseline implements QueuePolicy {
    /** The older system: a new request starts at once if it fits; a periodic scan starts whatever fits, nothing reserved. */
    GPU_DEV("gpu-dev", 0, true),
    /** Strict arrival order: nothing passes a request that waits. */
    FIFO("fifo", Integer.MAX_VALUE, false),
    /** EASY backfill: arrival order, a reservation for the head only. */
    EASY("easy", 1, true);

    /** Every policy of the replay, in the order of its tables. */
    static final List<QueuePolicy> ALL = List.of(GPU_DEV, FIFO, EASY, QueuePolicy.GPU_DEV_BOT);
    private static final Comparator<Reservation> ARRIVAL = Comparator.comparing(Reservation::requestedAt).thenComparing(Reservation::id);

    private final String label;
    private final int reservations;
    private final boolean backfill;

    Baseline(String label, int reservations, boolean backfill) {
        this.label = label;
        this.reservations = reservations;
        this.backfill = backfill;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public int reservations() {
        return reservations;
    }

    @Override
    public boolean backfill() {
        return backfill;
    }

    @Override
    public List<Reservation> order(List<Reservation> queue, Set<UserId> holders, Limits limits, Instant now, Duration backlog) {
        return queue.stream().sorted(ARRIVAL).toList();
    }

    /** The older system started a new request at once if it fit, and everything else only on its periodic scan (a tick). */
    static StartRule startRule(QueuePolicy policy) {
        return policy != GPU_DEV ? StartRule.ANY : event -> switch (event) {
            case Event.Tick t -> r -> true;
            case Event.Submitted s -> r -> r.id().equals(s.reservation().id());
            default -> (Predicate<Reservation>) r -> false;
        };
    }

    static QueuePolicy of(String label) {
        return ALL.stream().filter(p -> p.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown policy " + label + "; the policies are "
                        + String.join(",", ALL.stream().map(QueuePolicy::label).toList())));
    }
}
