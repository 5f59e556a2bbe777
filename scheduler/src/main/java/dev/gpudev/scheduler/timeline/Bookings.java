package dev.gpudev.scheduler.timeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.Booking;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.timeline.QueuePlanner.Hold;

/**
 * Bookings on the timeline. Each planning pass keeps every booking's GPUs first, in the order they were booked, on the
 * nodes it is pinned to (or, when one of them was lost, on the best nodes free for its window), from its start for its
 * duration plus the provision allowance, before the queue is walked. So backfill may use booked GPUs only for work that
 * ends before the booking starts, and a booking due now starts like a request whose GPUs are free.
 */
public final class Bookings {
    private Bookings() {
    }

    /** A span in which the asked GPUs are free; {@code until} null: free from {@code from} on for as long as the timeline knows. */
    public record Window(Instant from, @Nullable Instant until) {
    }

    /** Where a new booking goes: its nodes, or none and the nearest windows that would hold it (at most two). */
    public record Fit(List<NodeName> nodes, List<Window> nearest) {
        public Fit {
            nodes = List.copyOf(nodes);
            nearest = List.copyOf(nearest);
        }

        public boolean placed() {
            return !nodes.isEmpty();
        }
    }

    static boolean isBooking(Reservation r) {
        return r.booking() != null;
    }

    /**
     * Keeps the GPUs of the type's queued bookings on {@code nodes}: an entry per booking, starting now when it is due and
     * its GPUs are free (and {@code mayStart} lets it), otherwise waiting at position 0 with its start as the ETA and its
     * nodes as the promise.
     */
    static List<QueuePlan.Entry> hold(GpuType type, List<NodeProfile> nodes, List<Reservation> booked, Instant now, long allowance,
                                      Predicate<Reservation> mayStart) {
        return hold(type, nodes, booked, now, allowance, allowance, mayStart);
    }

    /**
     * @param margin how long before a booking's start its GPUs are kept from work that starts now as well: a request is
     *               started when it fits for its duration, but it holds its GPUs until it is ready, up to the provision
     *               allowance, and then for its whole duration; without the margin it could run into the booking
     */
    private static List<QueuePlan.Entry> hold(GpuType type, List<NodeProfile> nodes, List<Reservation> booked, Instant now, long allowance,
                                              long margin, Predicate<Reservation> mayStart) {
        List<QueuePlan.Entry> entries = new ArrayList<>(booked.size());
        List<Margin> margins = new ArrayList<>();
        List<Reservation> ordered = new ArrayList<>(booked);
        ordered.sort(Comparator.comparing(Reservation::requestedAt).thenComparing(r -> r.id().value()));
        for (Reservation r : ordered) {
            Booking b = r.booking();
            long start = Math.max(0, QueuePlanner.seconds(Duration.between(now, b.startsAt())));
            long length = Math.max(1, QueuePlanner.seconds(r.duration())) + allowance;
            List<NodeProfile> on = place(type, nodes, r.gpus(), start, length, b.nodes());
            long at = start;
            if (on.isEmpty()) {
                // late: a node was lost or an admin's extension ran into the window; the earliest start that holds it
                at = -1;
                for (long s : candidates(nodes, start, Long.MAX_VALUE)) {
                    on = place(type, nodes, r.gpus(), s, length, List.of());
                    if (!on.isEmpty()) {
                        at = s;
                        break;
                    }
                }
            }
            int each = r.gpus() / Math.max(1, on.size());
            for (NodeProfile p : on) {
                p.take(each, Math.max(0, at), length);
            }
            if (at > 0 && margin > 0) {
                margins.add(new Margin(on, each, Math.max(0, at - margin), at));
            }
            List<NodeName> names = on.stream().map(p -> p.name).toList();
            if (at == 0 && !on.isEmpty() && mayStart.test(r)) {
                entries.add(new QueuePlan.Entry(r, names, 0, now, List.of()));
            } else {
                entries.add(new QueuePlan.Entry(r, List.of(), 0, at < 0 ? null : now.plusSeconds(at), names));
            }
        }
        // after every booking is placed, so that a booking may follow another at once; free GPUs may go below zero here
        for (Margin m : margins) {
            m.nodes().forEach(p -> p.take(m.gpus(), m.from(), m.to() - m.from()));
        }
        return entries;
    }

    private record Margin(List<NodeProfile> nodes, int gpus, long from, long to) {
    }

    /**
     * Where a booking of {@code gpus} for {@code duration} from {@code start} would go next to what runs and what is booked
     * already (queued requests do not count: a booking outranks the queue), or the nearest windows that would hold it,
     * starting before {@code horizon}.
     */
    public static Fit fit(GpuType type, ClusterSnapshot cluster, Map<NodeName, List<Hold>> holds, List<Reservation> queue,
                          Set<NodeName> drained, Limits limits, Instant now, Instant start, int gpus, Duration duration, Instant horizon) {
        long allowance = QueuePlanner.seconds(limits.provisionTimeout());
        List<NodeProfile> nodes = QueuePlanner.profiles(type, cluster, holds, drained, limits, now);
        hold(type, nodes, queue.stream().filter(Bookings::isBooking).toList(), now, allowance, 0, r -> false);
        long at = Math.max(0, QueuePlanner.seconds(Duration.between(now, start)));
        long length = Math.max(1, QueuePlanner.seconds(duration)) + allowance;
        List<NodeProfile> on = place(type, nodes, gpus, at, length, List.of());
        if (!on.isEmpty()) {
            return new Fit(on.stream().map(p -> p.name).toList(), List.of());
        }
        long last = Math.max(0, QueuePlanner.seconds(Duration.between(now, horizon)));
        List<long[]> windows = new ArrayList<>();
        long covered = -1;
        for (long s : candidates(nodes, 0, last)) {
            if (covered < 0 ? !windows.isEmpty() : s < covered) {
                continue;
            }
            List<NodeProfile> there = place(type, nodes, gpus, s, length, List.of());
            if (there.isEmpty()) {
                continue;
            }
            int each = gpus / there.size();
            long end = there.stream().mapToLong(p -> p.freeUntil(each, s)).reduce(-1, (a, b) -> a < 0 ? b : b < 0 ? a : Math.min(a, b));
            windows.add(new long[] {s, end});
            covered = end;
            if (end < 0) {
                break;
            }
        }
        List<Window> nearest = windows.stream()
                .sorted(Comparator.comparingLong(w -> distance(w, at, length)))
                .limit(2)
                .sorted(Comparator.comparingLong(w -> w[0]))
                .map(w -> new Window(now.plusSeconds(w[0]), w[1] < 0 ? null : now.plusSeconds(w[1])))
                .toList();
        return new Fit(List.of(), nearest);
    }

    /** How far the window's start nearest to {@code at} lies from it. */
    private static long distance(long[] w, long at, long length) {
        long latest = w[1] < 0 ? Long.MAX_VALUE : w[1] - length;
        return Math.abs(Math.max(w[0], Math.min(at, latest)) - at);
    }

    /** The step boundaries of the nodes from {@code from} to {@code to}, and {@code from} itself. */
    private static Set<Long> candidates(List<NodeProfile> nodes, long from, long to) {
        TreeSet<Long> at = new TreeSet<>();
        at.add(from);
        for (NodeProfile p : nodes) {
            for (long s : p.steps()) {
                if (s >= from && s <= to) {
                    at.add(s);
                }
            }
        }
        return at;
    }

    /** The nodes that hold the booking for {@code [start, start + length)}: the pinned ones if they still do, else best fit. */
    private static List<NodeProfile> place(GpuType type, List<NodeProfile> nodes, int gpus, long start, long length, List<NodeName> pinned) {
        int wanted = type.nodesFor(gpus);
        int each = gpus / wanted;
        if (pinned.size() == wanted) {
            List<NodeProfile> kept = nodes.stream().filter(p -> pinned.contains(p.name) && p.fits(each, start, length)).toList();
            if (kept.size() == wanted) {
                return kept;
            }
        }
        if (wanted == 1) {
            NodeProfile best = null;
            for (NodeProfile p : nodes) {
                if (p.fits(gpus, start, length) && (best == null || p.freeAt(start) < best.freeAt(start))) {
                    best = p;
                }
            }
            return best == null ? List.of() : List.of(best);
        }
        Map<String, List<NodeProfile>> groups = new LinkedHashMap<>();
        for (NodeProfile p : nodes) {
            if (p.group != null && p.fits(type.gpusPerNode(), start, length)) {
                groups.computeIfAbsent(p.group, g -> new ArrayList<>()).add(p);
            }
        }
        return groups.values().stream().filter(g -> g.size() >= wanted).findFirst().map(g -> List.copyOf(g.subList(0, wanted))).orElse(List.of());
    }
}
