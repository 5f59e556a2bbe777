package dev.gpudev.scheduler.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

import dev.gpudev.scheduler.engine.Decision;
import dev.gpudev.scheduler.engine.Effect;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.engine.Event;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeInfo;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.Placer;
import dev.gpudev.scheduler.policy.QueuePolicy;

/**
 * Replays a workload through the real {@link Engine} on a simulated clock and cluster: submissions become
 * {@link Event.Submitted}, a provisioned server is ready at once, a job that finishes before its reservation ends is
 * cancelled by its owner, and the engine's own wake-ups become ticks.
 */
final class Replay {
    static final String TYPE = "h100";
    static final int GPUS_PER_NODE = 8;
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final ServerAccess ACCESS = new ServerAccess("10.0.0.1", 22, "dev", null);
    private static final int END = 0;
    private static final int SUBMIT = 1;

    private Replay() {
    }

    /** The limits of the replay: no reminders (they do not change scheduling), 48 h requests, no per-user cap. */
    static Limits limits() {
        return new Limits(Duration.ofMinutes(1), Duration.ofHours(48), Duration.ofHours(24), Duration.ofHours(48),
                Duration.ofHours(48), List.of(), Integer.MAX_VALUE, 2, true, Duration.ofMinutes(15));
    }

    static GpuCatalog catalog() {
        return new GpuCatalog(List.of(new GpuType(TYPE, Set.of(), GPUS_PER_NODE, "p5.48xlarge", Map.of(), true)));
    }

    static ClusterSnapshot cluster(int nodes) {
        List<NodeInfo> list = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            list.add(new NodeInfo(new NodeName(String.format("node-%03d", i)), TYPE, GPUS_PER_NODE, 0, true, "pg-1", "z1"));
        }
        return new ClusterSnapshot(list);
    }

    private record Timed(long at, int kind, int job) implements Comparable<Timed> {
        @Override
        public int compareTo(Timed o) {
            return at != o.at ? Long.compare(at, o.at) : kind != o.kind ? Integer.compare(kind, o.kind) : Integer.compare(job, o.job);
        }
    }

    static Outcome run(QueuePolicy policy, List<Job> jobs, int nodes) {
        Engine engine = new Engine(catalog(), limits(), policy, Baseline.startRule(policy));
        SchedulerState state = SchedulerState.of(List.of(), cluster(nodes));
        PriorityQueue<Timed> timed = new PriorityQueue<>();
        jobs.forEach(j -> timed.add(new Timed(j.submit(), SUBMIT, j.index())));
        long[] start = new long[jobs.size()];
        Arrays.fill(start, -1);
        boolean[] expired = new boolean[jobs.size()];
        long[] eta = new long[jobs.size()];
        Arrays.fill(eta, Outcome.NO_ETA);
        long decisions = 0;
        long nanos = 0;
        long lastRelease = 0;
        double fragmentedSeconds = 0;
        long now = jobs.getFirst().submit();
        while (true) {
            long tick = nextTick(engine, state, policy, now);
            Timed next = timed.peek();
            if (next == null && tick == Long.MAX_VALUE) {
                break;
            }
            long at = next == null ? tick : Math.min(next.at(), tick);
            if (fragmented(state, nodes)) {
                fragmentedSeconds += at - now;
            }
            now = at;
            Deque<Event> events = new ArrayDeque<>();
            while (timed.peek() != null && timed.peek().at() == now) {
                Timed t = timed.poll();
                Job j = jobs.get(t.job());
                events.add(t.kind() == SUBMIT
                        ? new Event.Submitted(Reservation.queued(id(j), new UserId(j.user()), TYPE, j.gpus(),
                                Duration.ofSeconds(j.requested()), RequestOptions.NONE, instant(now)))
                        : new Event.CancelRequested(id(j), "finished"));
            }
            if (events.isEmpty()) {
                events.add(new Event.Tick());
            }
            while (!events.isEmpty()) {
                Event event = events.poll();
                long begin = System.nanoTime();
                Decision d = engine.decide(state, instant(now), event);
                nanos += System.nanoTime() - begin;
                decisions++;
                state = d.state();
                for (Effect e : d.effects()) {
                    switch (e) {
                        case Effect.Provision(Reservation r) -> {
                            int j = index(r.id());
                            start[j] = now;
                            timed.add(new Timed(now + jobs.get(j).run(), END, j));
                            events.add(new Event.ServerReady(r.id(), ACCESS));
                        }
                        case Effect.Release(Reservation r) -> lastRelease = Math.max(lastRelease, now);
                        case Effect.Notify(Notice.Ended(Reservation r)) when r.endReason() == EndReason.EXPIRED && start[index(r.id())] < 0 ->
                                expired[index(r.id())] = true;
                        case Effect.Notify(Notice.Queued(Reservation r, int position, Instant told))
                                when told != null && event instanceof Event.Submitted s && s.reservation().id().equals(r.id()) ->
                                eta[index(r.id())] = Duration.between(T0, told).toSeconds();
                        case Effect.Notify n -> {
                        }
                        case Effect.Refused r -> {
                        }
                    }
                }
            }
        }
        return new Outcome(policy.label(), jobs, start, expired, eta, nodes * GPUS_PER_NODE, lastRelease, fragmentedSeconds / 3600,
                decisions / Math.max(1e-9, nanos / 1e9));
    }

    /** The engine's next wake-up; the older system also scanned its queue every 60 s. */
    private static long nextTick(Engine engine, SchedulerState state, QueuePolicy policy, long now) {
        Optional<Instant> wake = engine.nextWakeup(state);
        long tick = wake.map(w -> Math.max(now + 1, Duration.between(T0, w).toSeconds())).orElse(Long.MAX_VALUE);
        if (policy == Baseline.GPU_DEV && state.live().values().stream().anyMatch(r -> r.state() == ReservationState.QUEUED)) {
            tick = Math.min(tick, (now / 60 + 1) * 60);
        }
        return tick;
    }

    /** A queued request fits the free GPUs summed over the cluster, but on no node (or no set of whole nodes). */
    private static boolean fragmented(SchedulerState state, int nodes) {
        Map<NodeName, Integer> free = Placer.free(state.cluster(), state.live().values(), state.drained());
        int total = 0;
        int largest = 0;
        int whole = 0;
        for (int f : free.values()) {
            total += f;
            largest = Math.max(largest, f);
            whole += f == GPUS_PER_NODE ? 1 : 0;
        }
        for (Reservation r : state.live().values()) {
            if (r.state() == ReservationState.QUEUED && r.gpus() <= total) {
                boolean fits = r.gpus() <= GPUS_PER_NODE ? r.gpus() <= largest : r.gpus() / GPUS_PER_NODE <= whole;
                if (!fits) {
                    return true;
                }
            }
        }
        return false;
    }

    private static ReservationId id(Job j) {
        return new ReservationId(TYPE + "-" + String.format("%06x", j.index()));
    }

    private static int index(ReservationId id) {
        return Integer.parseInt(id.value().substring(TYPE.length() + 1), 16);
    }

    private static Instant instant(long second) {
        return T0.plusSeconds(second);
    }
}
