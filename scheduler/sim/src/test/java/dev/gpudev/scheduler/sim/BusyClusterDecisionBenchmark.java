package dev.gpudev.scheduler.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.NodeInfo;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;

/**
 * The Slack ack-latency benchmark's decision: nothing queued, 1,000 or 8,000 running reservations placed by the engine
 * on 4 x 1,034 8-GPU nodes, and a new request that starts at once. Run with {@link DecisionBenchmark} (same command).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BusyClusterDecisionBenchmark {
    private static final List<String> TYPES = List.of("h100", "h200", "b200", "a100");
    private static final int[] COUNTS = {1, 2, 4, 8};

    @Param({"1000", "8000"})
    public int live;

    private Engine engine;
    private SchedulerState state;
    private Instant now;
    private Event.Submitted arrival;

    @Setup
    public void setUp() {
        List<NodeInfo> nodes = new ArrayList<>();
        for (String type : TYPES) {
            for (int n = 1; n <= 1034; n++) {
                nodes.add(new NodeInfo(new NodeName(String.format("%s-%05d", type, n)), type, 8, 0, true, "pg-" + type, null));
            }
        }
        Limits d = Limits.defaults();
        engine = new Engine(GpuCatalog.defaults(), new Limits(d.minDuration(), d.maxDuration(), d.maxExtension(), d.maxTotal(),
                d.queueTimeout(), d.reminders(), Integer.MAX_VALUE, d.maxNodesPerRequest(), d.fairShare(), d.provisionTimeout()));
        state = SchedulerState.of(List.of(), new ClusterSnapshot(nodes));
        now = Replay.T0;
        for (int i = 0; i < live; i++) {
            state = engine.decide(state, now, new Event.Submitted(request(i))).state();
            now = now.plusMillis(5);
        }
        arrival = new Event.Submitted(request(live));
    }

    private Reservation request(int i) {
        String type = TYPES.get(i % TYPES.size());
        return Reservation.queued(new ReservationId(type + "-" + String.format("%06x", i)), new UserId("U" + i % 1000), type,
                COUNTS[i / TYPES.size() % COUNTS.length], Duration.ofHours(2 + i % 3 * 2L), RequestOptions.NONE, now);
    }

    @Benchmark
    public Decision decideOnArrival() {
        return engine.decide(state, now, arrival);
    }
}
