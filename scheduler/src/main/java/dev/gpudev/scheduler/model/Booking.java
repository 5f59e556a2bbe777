package dev.gpudev.scheduler.model;

import java.time.Instant;
import java.util.List;

/**
 * A reservation booked for a future window: it stays QUEUED until {@code startsAt}, and the nodes it is pinned to are
 * kept free for it from then on (work before it may use them only if it ends in time).
 *
 * @param startsAt the booked start
 * @param nodes    the nodes the booking is planned on (the engine moves it when a node is lost); empty until placed
 * @param reminded the reminder before the start was issued (or skipped: booked within its lead time)
 * @param due      its start has come (it starts as soon as its GPUs are free, or expires at the end of its window)
 * @param used     its owner showed up after the start (see docs/scheduler.md, "Advance booking"); an unused booking is
 *                 released after the grace period
 */
public record Booking(Instant startsAt, List<NodeName> nodes, boolean reminded, boolean due, boolean used) {
    public Booking {
        nodes = List.copyOf(nodes);
    }

    public static Booking at(Instant startsAt) {
        return new Booking(startsAt, List.of(), false, false, false);
    }

    public Booking on(List<NodeName> placed) {
        return new Booking(startsAt, placed, reminded, due, used);
    }

    public Booking remindedNow() {
        return new Booking(startsAt, nodes, true, due, used);
    }

    public Booking dueNow() {
        return new Booking(startsAt, nodes, true, true, used);
    }

    public Booking usedNow() {
        return new Booking(startsAt, nodes, reminded, due, true);
    }
}
