package dev.gpudev.scheduler.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.gpudev.scheduler.engine.Decision;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.engine.Event;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;

/**
 * One scheduling decision (a new request arrives, the queue is re-planned, positions and ETAs compared) on 64 busy
 * 8-GPU nodes with 1,000 or 10,000 queued requests, without and with a history of early releases (which adds the
 * ETAs told on expected ends). Run: see docs/scheduler.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecisionBenchmark {
    @Param({"1000", "10000"})
    public int queued;

    /** {@code learned}: every user's earlier reservation ended early, so the ETAs told are planned on expected ends too. */
    @Param({"none", "learned"})
    public String history;

    private Engine engine;
    private SchedulerState state;
    private Instant now;
    private Event.Submitted arrival;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        engine = new Engine(Replay.catalog(), Limits.defaults());
        Instant t0 = Replay.T0;
        List<Reservation> live = new ArrayList<>();
        ServerAccess access = new ServerAccess("10.0.0.1", 22, "dev", null);
        int id = 0;
        for (int node = 1; node <= 64; node++) {
            int left = 8;
            while (left > 0) {
                int gpus = Math.min(left, 1 << random.nextInt(4));
                Reservation r = Reservation.queued(rid(id++), new UserId("u" + random.nextInt(40)), Replay.TYPE, gpus,
                        Duration.ofHours(1 + random.nextInt(24)), RequestOptions.NONE, t0);
                live.add(r.provisioning(List.of(new NodeName(String.format("node-%03d", node))), t0).active(access, t0));
                left -= gpus;
            }
        }
        now = t0.plus(Duration.ofMinutes(30));
        int[] sizes = {1, 1, 1, 1, 2, 4, 8, 16};
        for (int i = 0; i < queued; i++) {
            live.add(Reservation.queued(rid(id++), new UserId("u" + random.nextInt(200)), Replay.TYPE, sizes[random.nextInt(sizes.length)],
                    Duration.ofHours(1 + random.nextInt(24)), RequestOptions.NONE, t0.plusSeconds(random.nextInt(1800))));
        }
        state = SchedulerState.of(live, Replay.cluster(64));
        if (history.equals("learned")) {
            for (int u = 0; u < 240; u++) {
                Duration asked = Duration.ofHours(1 + random.nextInt(24));
                Reservation done = Reservation.queued(rid(id++), new UserId("u" + u), Replay.TYPE, 1, asked, RequestOptions.NONE, t0)
                        .provisioning(List.of(new NodeName("node-001")), t0).active(access, t0);
                state = state.with(done).with(done.ended(EndReason.CANCELLED, "done", t0.plusSeconds(1 + random.nextLong(asked.toSeconds()))));
            }
        }
        arrival = new Event.Submitted(Reservation.queued(rid(id), new UserId("u-new"), Replay.TYPE, 4, Duration.ofHours(2),
                RequestOptions.NONE, now));
    }

    private static ReservationId rid(int i) {
        return new ReservationId(Replay.TYPE + "-" + String.format("%06x", i));
    }

    @Benchmark
    public Decision decideOnArrival() {
        return engine.decide(state, now, arrival);
    }
}
