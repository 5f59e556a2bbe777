package dev.gpudev.scheduler.timeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeInfo;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.QueuePolicy;

/**
 * Plans one GPU type's queue on the timeline of its nodes. Every reservation has an end (an ACTIVE one its
 * {@code endsAt}; a PROVISIONING one {@code updatedAt + duration + provision timeout}), so each node's free GPUs
 * are known for all future time. The steps:
 * <ol>
 *   <li>build each node's free-GPU profile from the running reservations;</li>
 *   <li>order the queue by the policy;</li>
 *   <li>walk it: a request starts now if a node (or, for a gang, enough whole nodes of one placement group) is free
 *       for its whole duration without taking what an earlier request was promised; otherwise it is given the
 *       earliest such start as its ETA, and the first {@link QueuePolicy#reservations()} waiting requests keep that
 *       start as a promise that later requests must not delay (backfill).</li>
 * </ol>
 * Where a history of run times exists ({@link ExpectedRun}), a second set of profiles ends running work and the promised
 * requests ahead at their <em>expected</em> ends; the earliest start on it is the ETA told ({@link QueuePlan.Entry#told}),
 * never later than the planned one. Starts and promises are decided on the reserved ends only.
 * Per node, free GPUs are never summed across nodes; single-node requests go to the fullest node that fits (best fit),
 * so whole nodes stay free for large requests.
 */
public final class QueuePlanner {
    /**
     * Expected ends are guesses: rounded up to this grid so that ends on the expected profiles coincide, as reserved
     * ends of whole-hour durations do (distinct ends make the search take more steps: with a history, a decision behind
     * 1,000 queued went from 1.59 to 1.43 ms).
     */
    static final long GUESS_GRID_SECONDS = 300;

    private QueuePlanner() {
    }

    /** Plans with every queued request allowed to start. */
    public static QueuePlan plan(GpuType type, ClusterSnapshot cluster, Collection<Reservation> live, Set<NodeName> drained,
                                 Limits limits, QueuePolicy policy, Instant now) {
        return plan(type, cluster, live, drained, limits, policy, now, r -> true);
    }

    /** @param mayStart which queued requests this pass may start (the others only get a position and an ETA) */
    public static QueuePlan plan(GpuType type, ClusterSnapshot cluster, Collection<Reservation> live, Set<NodeName> drained,
                                 Limits limits, QueuePolicy policy, Instant now, Predicate<Reservation> mayStart) {
        return plan(type, cluster, live, drained, limits, policy, now, mayStart, ExpectedRun.NONE);
    }

    /** The same with the learned run times for the ETAs told. */
    public static QueuePlan plan(GpuType type, ClusterSnapshot cluster, Collection<Reservation> live, Set<NodeName> drained,
                                 Limits limits, QueuePolicy policy, Instant now, Predicate<Reservation> mayStart, ExpectedRun expected) {
        List<Reservation> queue = new ArrayList<>();
        List<Reservation> holding = new ArrayList<>();
        Map<UserId, Integer> held = new HashMap<>();
        for (Reservation r : live) {
            if (r.state().holdsGpus()) {
                held.merge(r.owner(), r.gpus(), Integer::sum);
                if (r.gpuType().equals(type.name())) {
                    holding.add(r);
                }
            } else if (r.state() == ReservationState.QUEUED && r.gpuType().equals(type.name())) {
                queue.add(r);
            }
        }
        Set<UserId> holders = new HashSet<>();
        Map<NodeName, List<Hold>> holds = new HashMap<>();
        for (Reservation r : holding) {
            holders.add(r.owner());
            r.nodes().forEach(n -> holds.computeIfAbsent(n, k -> new ArrayList<>()).add(Hold.of(r)));
        }
        return plan(type, cluster, queue, holds, holders, held, drained, limits, policy, now, mayStart, expected);
    }

    /**
     * The same plan from what the caller has indexed, so that its cost grows with the type's nodes and queue only, not
     * with the reservations running on them.
     *
     * @param queue   the QUEUED reservations of the type, in any order
     * @param holds   what the type's reservations (PROVISIONING or ACTIVE) hold, by node
     * @param holders the owners of those reservations
     * @param held    GPUs each user holds, of any type (absent: none)
     */
    public static QueuePlan plan(GpuType type, ClusterSnapshot cluster, List<Reservation> queue, Map<NodeName, List<Hold>> holds,
                                 Set<UserId> holders, Map<UserId, Integer> held, Set<NodeName> drained, Limits limits,
                                 QueuePolicy policy, Instant now, Predicate<Reservation> mayStart) {
        return plan(type, cluster, queue, holds, holders, held, drained, limits, policy, now, mayStart, ExpectedRun.NONE);
    }

    /** @param expected the learned run times for the ETAs told; {@link ExpectedRun#NONE} tells the planned starts */
    public static QueuePlan plan(GpuType type, ClusterSnapshot cluster, List<Reservation> queue, Map<NodeName, List<Hold>> holds,
                                 Set<UserId> holders, Map<UserId, Integer> held, Set<NodeName> drained, Limits limits,
                                 QueuePolicy policy, Instant now, Predicate<Reservation> mayStart, ExpectedRun expected) {
        if (queue.isEmpty()) {
            return new QueuePlan(List.of());
        }
        boolean guessing = expected != ExpectedRun.NONE;
        Pass pass = new Pass(type, profiles(type, cluster, holds, drained, limits, now),
                guessing ? expectedProfiles(type, cluster, holds, drained, limits, now, expected) : null, expected, now,
                seconds(limits.provisionTimeout()));
        List<Reservation> bookings = queue.stream().filter(Bookings::isBooking).toList();
        List<QueuePlan.Entry> booked = Bookings.hold(type, pass.nodes(), bookings, now, pass.allowance(), mayStart);
        if (pass.guess() != null && !bookings.isEmpty()) {
            Bookings.hold(type, pass.guess(), bookings, now, pass.allowance(), r -> false);
        }
        if (!booked.isEmpty()) {
            queue = queue.stream().filter(r -> !Bookings.isBooking(r)).toList();
        }
        List<Reservation> ordered = policy.order(queue, holders, limits, now, backlog(type, cluster, holds, queue, drained, limits, now));
        // The walk reads and counts up the queue's owners only: copy what is smaller, all holders or the queue's owners.
        Map<UserId, Integer> owners = new HashMap<>();
        if (held.size() <= queue.size()) {
            owners.putAll(held);
        } else {
            queue.forEach(r -> owners.put(r.owner(), held.getOrDefault(r.owner(), 0)));
        }
        QueuePlan plan = pass.walk(ordered, policy, owners, limits.maxGpusPerUser(), mayStart);
        return booked.isEmpty() ? plan : new QueuePlan(Stream.concat(booked.stream(), plan.entries().stream()).toList());
    }

    /** The earliest start of a hypothetical request behind the current queue, for availability views. */
    static @Nullable Instant etaAfter(GpuType type, ClusterSnapshot cluster, Collection<Reservation> live, Set<NodeName> drained,
                                      Limits limits, QueuePolicy policy, Instant now, Reservation probe) {
        List<Reservation> all = new ArrayList<>(live);
        all.add(probe);
        QueuePlan plan = plan(type, cluster, all, drained, limits, policy, now, r -> !r.id().equals(probe.id()));
        QueuePlan.Entry e = plan.byId().get(probe.id());
        return e == null ? null : e.eta();
    }

    /**
     * GPUs one reservation holds on each of its nodes, and when they come back: at the end of an ACTIVE one; for one
     * still PROVISIONING, its duration plus the provision timeout after it started.
     */
    public record Hold(int gpus, Instant end, boolean provisioning, UserId owner, Duration duration) {
        public static Hold of(Reservation r) {
            return r.state() == ReservationState.ACTIVE
                    ? new Hold(r.gpusPerNode(), Objects.requireNonNull(r.endsAt()), false, r.owner(), r.duration())
                    : new Hold(r.gpusPerNode(), r.updatedAt().plus(r.duration()), true, r.owner(), r.duration());
        }

        /** When the GPUs come back, as far as planning knows. */
        Instant until(Limits limits) {
            return provisioning ? end.plus(limits.provisionTimeout()) : end;
        }

        /**
         * When the GPUs are expected back: the owner's expected share of the duration after it started, never later than
         * {@link #until}; once that moment has passed, the same share of what is left of the reservation.
         */
        Instant expected(ExpectedRun run, Limits limits, Instant now) {
            Instant until = until(limits);
            double share = run.share(owner);
            if (share >= 1) {
                return until;
            }
            Instant guess = end.minus(duration).plusSeconds((long) Math.ceil(share * seconds(duration)));
            if (!guess.isAfter(now)) {
                guess = now.plusSeconds((long) Math.ceil(share * Math.max(0, seconds(Duration.between(now, until)))));
            }
            guess = Instant.ofEpochSecond(ceil(guess.getEpochSecond(), GUESS_GRID_SECONDS));
            return guess.isBefore(until) ? guess : until;
        }
    }

    /**
     * GPU-time still held or asked for, spread over the type's usable GPUs (a fluid bound, ignoring node boundaries).
     * What is held is summed per node: a reservation holds {@link Reservation#gpusPerNode} on each of its nodes.
     * A PROVISIONING reservation counts its duration, not the provision allowance, so starting a request leaves the
     * backlog as it was: a decision applied in part (a crash between its writes) and decided again orders the same.
     */
    static Duration backlog(GpuType type, ClusterSnapshot cluster, Map<NodeName, List<Hold>> holds, List<Reservation> queue,
                            Set<NodeName> drained, Limits limits, Instant now) {
        long gpus = cluster.nodesOf(type.name()).stream()
                .filter(n -> n.schedulable() && !drained.contains(n.name()))
                .mapToLong(n -> Math.max(0, n.capacity() - n.usedByOthers())).sum();
        if (gpus == 0) {
            return limits.queueTimeout();
        }
        double work = 0;
        for (List<Hold> on : holds.values()) {
            for (Hold h : on) {
                work += (double) h.gpus() * Math.max(0, seconds(Duration.between(now, h.end())));
            }
        }
        for (Reservation r : queue) {
            work += (double) r.gpus() * seconds(r.duration());
        }
        return Duration.ofSeconds((long) Math.ceil(work / gpus));
    }

    static List<NodeProfile> profiles(GpuType type, ClusterSnapshot cluster, Map<NodeName, List<Hold>> holds,
                                      Set<NodeName> drained, Limits limits, Instant now) {
        return profiles(type, cluster, holds, drained, limits, now, h -> h.until(limits));
    }

    private static List<NodeProfile> expectedProfiles(GpuType type, ClusterSnapshot cluster, Map<NodeName, List<Hold>> holds,
                                                      Set<NodeName> drained, Limits limits, Instant now, ExpectedRun expected) {
        return profiles(type, cluster, holds, drained, limits, now, h -> h.expected(expected, limits, now));
    }

    private static List<NodeProfile> profiles(GpuType type, ClusterSnapshot cluster, Map<NodeName, List<Hold>> holds,
                                              Set<NodeName> drained, Limits limits, Instant now, Function<Hold, Instant> back) {
        Map<NodeName, NodeProfile> profiles = new LinkedHashMap<>();
        cluster.nodesOf(type.name()).stream().sorted(Comparator.comparing(NodeInfo::name)).forEach(n -> {
            int cap = n.schedulable() && !drained.contains(n.name()) ? Math.max(0, n.capacity() - n.usedByOthers()) : 0;
            List<Hold> on = holds.getOrDefault(n.name(), List.of());
            int used = 0;
            for (Hold h : on) {
                used += h.gpus();
            }
            NodeProfile p = new NodeProfile(n.name(),
                    type.multiNode() && n.capacity() == type.gpusPerNode() ? Objects.requireNonNullElse(n.placementGroup(), "") : null,
                    Math.max(0, cap - used));
            on.forEach(h -> p.release(seconds(Duration.between(now, back.apply(h))), h.gpus(), cap));
            profiles.put(n.name(), p);
        });
        return List.copyOf(profiles.values());
    }

    static long seconds(Duration d) {
        long s = d.toSeconds();
        return d.toNanos() % 1_000_000_000L > 0 ? s + 1 : s;
    }

    /**
     * The profiles of one type's nodes during one pass: {@code nodes} with the reserved ends, which decide; {@code guess},
     * in the same order, with the expected ends (null without a history), for the ETAs told.
     */
    private record Pass(GpuType type, List<NodeProfile> nodes, @Nullable List<NodeProfile> guess, ExpectedRun expected, Instant now,
                        long allowance) {
        private record Slot(long start, List<NodeProfile> nodes) {
        }

        private record Shape(int gpus, long length) {
        }

        QueuePlan walk(List<Reservation> ordered, QueuePolicy policy, Map<UserId, Integer> held, int cap,
                       Predicate<Reservation> mayStart) {
            List<QueuePlan.Entry> entries = new ArrayList<>(ordered.size());
            Map<Shape, Slot> unchanged = new HashMap<>();
            Map<Shape, Slot> guessed = new HashMap<>();
            int promised = 0;
            int position = 0;
            boolean blocked = false;
            for (Reservation r : ordered) {
                long length = Math.max(1, seconds(r.duration()));
                Shape shape = new Shape(r.gpus(), length);
                Slot slot = unchanged.computeIfAbsent(shape, s -> earliest(s.gpus(), s.length()));
                boolean capped = held.getOrDefault(r.owner(), 0) + r.gpus() > cap;
                if (slot.start() == 0 && !capped && !blocked && mayStart.test(r)) {
                    // held as the next pass will count it: PROVISIONING until ready, with the allowance
                    take(slot, r.gpus(), length + allowance);
                    unchanged.clear();
                    if (guess != null) {
                        // as the next pass will expect it: from now for the owner's share of its duration
                        slot.nodes().forEach(p -> guess.get(nodes.indexOf(p)).take(r.gpus() / slot.nodes().size(), 0, expectedLength(r, length)));
                        guessed.clear();
                    }
                    held.merge(r.owner(), r.gpus(), Integer::sum);
                    entries.add(new QueuePlan.Entry(r, slot.nodes().stream().map(p -> p.name).toList(), 0, now, List.of()));
                    continue;
                }
                blocked = !policy.backfill();
                Instant eta = slot.start() < 0 ? null : now.plusSeconds(slot.start());
                Instant told = eta;
                Slot expectedSlot = null;
                if (guess != null && eta != null) {
                    expectedSlot = guessed.computeIfAbsent(shape, s -> earliest(guess, s.gpus(), s.length()));
                    if (expectedSlot.start() >= 0 && expectedSlot.start() < slot.start()) {
                        told = now.plusSeconds(expectedSlot.start());
                    }
                }
                List<NodeName> kept = List.of();
                if (promised < policy.reservations() && slot.start() >= 0 && !capped) {
                    take(slot, r.gpus(), length);
                    unchanged.clear();
                    promised++;
                    kept = slot.nodes().stream().map(p -> p.name).toList();
                    if (expectedSlot != null && expectedSlot.start() >= 0) {
                        take(expectedSlot, r.gpus(), expectedLength(r, length));
                        guessed.clear();
                    }
                }
                entries.add(new QueuePlan.Entry(r, List.of(), ++position, eta, kept, told));
            }
            return new QueuePlan(entries);
        }

        private long expectedLength(Reservation r, long length) {
            return Math.min(length, Math.max(1, ceil((long) Math.ceil(expected.share(r.owner()) * length), GUESS_GRID_SECONDS)));
        }

        private void take(Slot slot, int gpus, long length) {
            int each = gpus / slot.nodes().size();
            slot.nodes().forEach(p -> p.take(each, slot.start(), length));
        }

        private Slot earliest(int gpus, long length) {
            return earliest(nodes, gpus, length);
        }

        private Slot earliest(List<NodeProfile> nodes, int gpus, long length) {
            int wanted = type.nodesFor(gpus);
            return wanted == 1 ? single(nodes, gpus, length) : gang(nodes, wanted, length);
        }

        private static Slot single(List<NodeProfile> nodes, int gpus, long length) {
            NodeProfile best = null;
            long bestStart = -1;
            int bestFree = Integer.MAX_VALUE;
            for (NodeProfile p : nodes) {
                long s = p.earliest(gpus, length);
                if (s < 0) {
                    continue;
                }
                int free = p.freeAt(s);
                if (best == null || s < bestStart || (s == bestStart && free < bestFree)) {
                    best = p;
                    bestStart = s;
                    bestFree = free;
                }
            }
            return best == null ? new Slot(-1, List.of()) : new Slot(bestStart, List.of(best));
        }

        private Slot gang(List<NodeProfile> nodes, int wanted, long length) {
            Map<String, List<NodeProfile>> groups = new LinkedHashMap<>();
            for (NodeProfile p : nodes) {
                if (p.group != null) {
                    groups.computeIfAbsent(p.group, g -> new ArrayList<>()).add(p);
                }
            }
            Slot best = new Slot(-1, List.of());
            for (List<NodeProfile> group : groups.values()) {
                if (group.size() < wanted) {
                    continue;
                }
                long[] starts = group.stream().flatMapToLong(p -> Arrays.stream(p.stepsWith(type.gpusPerNode()))).sorted().distinct().toArray();
                for (long s : starts) {
                    if (best.start() >= 0 && s >= best.start()) {
                        break;
                    }
                    List<NodeProfile> whole = group.stream().filter(p -> p.fits(type.gpusPerNode(), s, length)).limit(wanted).toList();
                    if (whole.size() == wanted) {
                        best = new Slot(s, whole);
                        break;
                    }
                }
            }
            return best;
        }
    }

    private static long ceil(long seconds, long grid) {
        return Math.floorDiv(seconds + grid - 1, grid) * grid;
    }
}
