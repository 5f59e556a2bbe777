package dev.gpudev.scheduler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.UserId;

/** The order in which a queue is served. */
public final class QueueOrder {
    /** Short requests are not ranked as if shorter than this, as in bounded slowdown. */
    static final Duration SHORTEST = Duration.ofMinutes(10);

    private QueueOrder() {
    }

    private record Keyed(Reservation r, int band, double ratio) {
    }

    /**
     * The order of {@link QueuePolicy#GPU_DEV_BOT}: highest response ratio first,
     * {@code (waited + duration) / duration}. A request starts at 1 and gains 1 for every own duration it waits, so
     * short requests go first, yet every waiting request keeps rising until it is served: long and large requests
     * age instead of starving. With fair share, a user who already holds GPUs of the type queues behind users who
     * hold none among requests of the same whole ratio: fresh requests of holders wait behind fresh requests of
     * others, but a holder's request that waited one duration longer still passes them (fair share never starves).
     * The duration used for ageing is at most half the queue timeout, so even the longest request at least doubles
     * its ratio before it would expire, and at most the backlog: a request that outlasts all the work at hand gains
     * nothing from being ranked by its own length, since every further wait extends the time the GPUs need to finish.
     *
     * @param holders users who hold GPUs of this type now
     * @param backlog the time the type's GPUs, all together, need for the work running and queued
     */
    public static List<Reservation> order(List<Reservation> queue, Set<UserId> holders, Limits limits, Instant now, Duration backlog) {
        Comparator<Reservation> arrival = Comparator.comparing(Reservation::requestedAt).thenComparing(Reservation::id);
        Keyed[] keyed = new Keyed[queue.size()];
        for (int i = 0; i < keyed.length; i++) {
            Reservation r = queue.get(i);
            double ratio = ratio(r, now, limits, backlog);
            int band = -2 * (int) Math.floor(ratio) + (limits.fairShare() && holders.contains(r.owner()) ? 1 : 0);
            keyed[i] = new Keyed(r, band, ratio);
        }
        Arrays.sort(keyed, Comparator.comparingInt(Keyed::band)
                .thenComparing(Comparator.comparingDouble(Keyed::ratio).reversed())
                .thenComparing(Keyed::r, arrival));
        return Arrays.stream(keyed).map(Keyed::r).toList();
    }

    /** Ordered with no backlog bound on the ageing duration. */
    public static List<Reservation> order(List<Reservation> queue, Set<UserId> holders, Limits limits, Instant now) {
        return order(queue, holders, limits, now, limits.queueTimeout());
    }

    /** The response ratio of a waiting request: 1 when it arrives, growing by one for each duration it waits. */
    public static double ratio(Reservation r, Instant now, Limits limits) {
        return ratio(r, now, limits, limits.queueTimeout());
    }

    /** The response ratio with the ageing duration bounded by {@code backlog} too. */
    public static double ratio(Reservation r, Instant now, Limits limits, Duration backlog) {
        double cap = Math.min(limits.queueTimeout().toSeconds() / 2, backlog.toSeconds());
        double length = Math.min(Math.max(r.duration().toSeconds(), SHORTEST.toSeconds()), Math.max(SHORTEST.toSeconds(), cap));
        double waited = Math.max(0, now.getEpochSecond() - r.requestedAt().getEpochSecond());
        return (waited + length) / length;
    }
}
