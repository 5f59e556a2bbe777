package dev.gpudev.scheduler.sim;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import dev.gpudev.scheduler.engine.Decision;
import dev.gpudev.scheduler.engine.Effect;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.engine.Event;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.Booking;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.QueuePolicy;
import dev.gpudev.scheduler.timeline.Bookings;

/**
 * {@code replay --bookings F}: a fraction F of the jobs is booked at its submission for a start 1 to 72 h later (uniform,
 * whole minutes); a booking that does not fit takes the nearest window after the asked start the engine offers. The same
 * workload is replayed with every job queued as usual at its submission, and again with each booked job queued as usual
 * at its booked start (the same load over time without holds); the other jobs' waits are compared with both. Reported: whether every
 * booking started at its booked second, and the others' mean-wait rise against the bound
 * {@code booked GPU-time / (capacity x span of submissions) x mean wait without bookings}: the others may wait longer by at
 * most the share of the capacity the bookings take out of the queue's reach, as a share of their wait. (A queueing model
 * would allow more, {@code 1/(1-load)} times that, as the wait grows with 1/(1-rho); the replay is held to the tighter one.)
 */
final class BookingReplay {
    private static final int END = 0;
    private static final int SUBMIT = 1;

    private BookingReplay() {
    }

    private record Timed(long at, int kind, int job) implements Comparable<Timed> {
        @Override
        public int compareTo(Timed o) {
            return at != o.at ? Long.compare(at, o.at) : kind != o.kind ? Integer.compare(kind, o.kind) : Integer.compare(job, o.job);
        }
    }

    /** Per job: when it started (-1: never), and for bookings the start it was booked for (-1: not a booking). */
    private record Run(long[] start, long[] booked, int moved) {
    }

    static void run(PrintStream out, List<Job> jobs, int nodes, double fraction, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] ahead = new long[jobs.size()];
        Arrays.fill(ahead, -1);
        for (Job j : jobs) {
            if (random.nextDouble() < fraction) {
                ahead[j.index()] = 60L * random.nextLong(60, 72 * 60 + 1);
            }
        }
        QueuePolicy policy = Baseline.of("gpu-dev-bot");
        Run plain = replay(policy, jobs, nodes, new long[jobs.size()], false);
        Run booked = replay(policy, jobs, nodes, ahead, true);
        // the same jobs, each booked one queued as usual at the start it was booked for: the same load over time, no holds
        List<Job> shifted = jobs.stream().map(j -> booked.booked()[j.index()] >= 0 ? j.at(booked.booked()[j.index()]) : j).toList();
        Run atStart = replay(policy, shifted, nodes, new long[jobs.size()], false);

        int count = 0;
        int onTime = 0;
        long latest = 0;
        double bookedGpuSeconds = 0;
        for (Job j : jobs) {
            if (booked.booked()[j.index()] >= 0) {
                count++;
                long late = booked.start()[j.index()] - booked.booked()[j.index()];
                onTime += booked.start()[j.index()] >= 0 && late == 0 ? 1 : 0;
                latest = Math.max(latest, booked.start()[j.index()] < 0 ? Long.MAX_VALUE : late);
                bookedGpuSeconds += (double) j.gpus() * j.requested();
            }
        }
        double others0 = meanWait(jobs, plain, booked.booked());
        double others1 = meanWait(jobs, booked, booked.booked());
        double othersShifted = meanWait(shifted, atStart, booked.booked());
        long span = Math.max(1, jobs.getLast().submit() - jobs.getFirst().submit());
        double share = bookedGpuSeconds / ((double) nodes * Replay.GPUS_PER_NODE * span);
        double bound = share * others0;
        out.printf(Locale.ROOT, "bookings: %d of %d jobs (fraction %.2f) booked 1-72 h ahead; %d moved to the nearest offered window%n",
                count, jobs.size(), fraction, booked.moved());
        out.printf(Locale.ROOT, "bookings started at their booked second: %d of %d (latest start after its booking: %s)%n", onTime, count,
                latest == Long.MAX_VALUE ? "never started" : latest + " s");
        out.printf(Locale.ROOT, "others' mean wait: %.1f s without bookings, %.1f s with: rise %+.1f s (%+.1f%%)%n", others0, others1,
                others1 - others0, 100 * (others1 - others0) / Math.max(1e-9, others0));
        out.printf(Locale.ROOT, "others' mean wait with the booked jobs queued at their booked start instead: %.1f s; the holds cost %+.1f s (%+.1f%%)%n",
                othersShifted, others1 - othersShifted, 100 * (others1 - othersShifted) / Math.max(1e-9, othersShifted));
        out.printf(Locale.ROOT, "booked GPU-time / capacity-time of the submission span: %.4f; bound share x W = %.1f s: %s%n",
                share, bound, others1 - others0 <= bound && others1 - othersShifted <= bound ? "both within" : "EXCEEDED");
    }

    /** Mean wait of the jobs that are not bookings in {@code bookedAs} (never started: counted at the end of the run). */
    private static double meanWait(List<Job> jobs, Run run, long[] bookedAs) {
        double sum = 0;
        int n = 0;
        long last = Arrays.stream(run.start()).max().orElse(0);
        for (Job j : jobs) {
            if (bookedAs[j.index()] < 0) {
                long s = run.start()[j.index()];
                sum += (s < 0 ? last : s) - j.submit();
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    private static Run replay(QueuePolicy policy, List<Job> jobs, int nodes, long[] ahead, boolean book) {
        Engine engine = new Engine(Replay.catalog(), Replay.limits(), policy, Baseline.startRule(policy));
        SchedulerState state = SchedulerState.of(List.of(), Replay.cluster(nodes));
        PriorityQueue<Timed> timed = new PriorityQueue<>();
        jobs.forEach(j -> timed.add(new Timed(j.submit(), SUBMIT, j.index())));
        long[] start = new long[jobs.size()];
        Arrays.fill(start, -1);
        long[] booked = new long[jobs.size()];
        Arrays.fill(booked, -1);
        int moved = 0;
        long now = jobs.stream().mapToLong(Job::submit).min().orElse(0);
        while (true) {
            Optional<Instant> wake = engine.nextWakeup(state);
            long tick = wake.map(w -> Math.max(0, Duration.between(Replay.T0, w).toSeconds())).orElse(Long.MAX_VALUE);
            tick = Math.max(tick, now + (tick <= now ? 1 : 0));
            Timed next = timed.peek();
            if (next == null && tick == Long.MAX_VALUE) {
                break;
            }
            now = next == null ? tick : Math.min(next.at(), tick);
            Deque<Event> events = new ArrayDeque<>();
            while (timed.peek() != null && timed.peek().at() == now) {
                Timed t = timed.poll();
                Job j = jobs.get(t.job());
                if (t.kind() == END) {
                    events.add(new Event.CancelRequested(id(j), "finished"));
                    continue;
                }
                Reservation r = Reservation.queued(id(j), new UserId(j.user()), Replay.TYPE, j.gpus(), Duration.ofSeconds(j.requested()),
                        RequestOptions.NONE, instant(now));
                if (book && ahead[j.index()] > 0) {
                    Instant at = instant(now + ahead[j.index()]);
                    Bookings.Fit fit = engine.fitBooking(state, Replay.TYPE, j.gpus(), r.duration(), at, instant(now));
                    if (!fit.placed()) {
                        Instant asked = at;
                        Optional<Instant> later = fit.nearest().stream().map(Bookings.Window::from).filter(f -> f.isAfter(asked)).findFirst();
                        at = later.orElse(fit.nearest().isEmpty() ? at : fit.nearest().getLast().from());
                        moved++;
                    }
                    booked[j.index()] = Duration.between(Replay.T0, at).toSeconds();
                    r = r.withBooking(Booking.at(at));
                }
                events.add(new Event.Submitted(r));
            }
            if (events.isEmpty()) {
                events.add(new Event.Tick());
            }
            while (!events.isEmpty()) {
                Event event = events.poll();
                Decision d = engine.decide(state, instant(now), event);
                state = d.state();
                for (Effect e : d.effects()) {
                    if (e instanceof Effect.Provision(Reservation r)) {
                        int j = index(r.id());
                        start[j] = now;
                        timed.add(new Timed(now + jobs.get(j).run(), END, j));
                        events.add(new Event.ServerReady(r.id(), Replay.ACCESS));
                    } else if (e instanceof Effect.Notify(Notice.Ended(Reservation r)) && r.endReason() == EndReason.REJECTED) {
                        booked[index(r.id())] = -2;
                    }
                }
            }
        }
        return new Run(start, booked, moved);
    }

    private static ReservationId id(Job j) {
        return new ReservationId(Replay.TYPE + "-" + String.format("%06x", j.index()));
    }

    private static int index(ReservationId id) {
        return Integer.parseInt(id.value().substring(Replay.TYPE.length() + 1), 16);
    }

    private static Instant instant(long second) {
        return Replay.T0.plusSeconds(second);
    }
}
