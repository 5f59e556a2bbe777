package dev.gpudev.scheduler.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.timeline.ExpectedRun;

/**
 * How much of their requested time reservations ran, learned from the ends the engine sees: an exponentially weighted
 * mean of run time / requested duration per owner and over everyone (EASY++'s user-based prediction), for the ETAs
 * told. An owner with no history of their own gets everyone's, and their own starts from it. Immutable; an end copies
 * one bucket of the owners' map. It lives in memory only (a reload from the store keeps it, a restart does not): after a
 * restart the told ETAs are the planned starts until new ends have been seen.
 */
public final class Releases implements ExpectedRun {
    public static final Releases EMPTY = new Releases(1.0, 0, ShardedMap.empty(Comparator.comparing(UserId::value)));
    /** Weight of the newest end in an owner's mean, and in everyone's. */
    static final double OWNER_WEIGHT = 0.3;
    static final double ALL_WEIGHT = 0.05;
    /** A share is never below this: an ETA is never planned as if running work ended at once. */
    static final double FLOOR = 0.05;

    private final double all;
    private final long seen;
    private final ShardedMap<UserId, Double> owners;

    private Releases(double all, long seen, ShardedMap<UserId, Double> owners) {
        this.all = all;
        this.seen = seen;
        this.owners = owners;
    }

    /** Ends seen. */
    public long seen() {
        return seen;
    }

    @Override
    public double share(UserId owner) {
        Double own = owners.get(owner);
        return own != null ? own : all;
    }

    /** The history as the planner takes it: {@link ExpectedRun#NONE} until an end was seen. */
    ExpectedRun expected() {
        return seen == 0 ? ExpectedRun.NONE : this;
    }

    /**
     * The history after {@code ended} left {@code was}: learned when it was ACTIVE (it ran from {@code endsAt - duration});
     * an end while provisioning or queued says nothing about run times.
     */
    Releases learned(@Nullable Reservation was, Reservation ended) {
        if (was == null || was.state() != ReservationState.ACTIVE || ended.state() != ReservationState.ENDED || was.endsAt() == null
                || was.duration().isZero()) {
            return this;
        }
        Instant since = was.endsAt().minus(was.duration());
        double ran = Duration.between(since, ended.updatedAt()).toMillis() / (double) was.duration().toMillis();
        double share = Math.clamp(ran, FLOOR, 1.0);
        // both means start from 1 (the reserved end), an owner's new mean from everyone's: one early end moves little
        double own = share(was.owner());
        double mine = own + OWNER_WEIGHT * (share - own);
        double everyone = all + ALL_WEIGHT * (share - all);
        return new Releases(everyone, seen + 1, owners.with(was.owner(), mine));
    }
}
