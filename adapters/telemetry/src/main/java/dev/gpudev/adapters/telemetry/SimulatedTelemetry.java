package dev.gpudev.adapters.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.GpuReading;
import dev.gpudev.scheduler.port.GpuSample;
import dev.gpudev.scheduler.port.GpuTelemetry;

/**
 * Telemetry for the sandbox: a server's GPUs are idle (0 %) unless marked busy (85 %, or a given percent; 40 GiB) from some instant on,
 * sampled every {@code step} from the moment it started, so the idle flow can be watched with simulated time. A
 * reservation it was not told about is Unknown, as a pod without DCGM series would be.
 */
public final class SimulatedTelemetry implements GpuTelemetry {
    static final double BUSY_UTIL = 85;
    static final double BUSY_MEMORY_MIB = 40_960;

    private record Server(int gpus, Instant started, TreeMap<Instant, Double> busy) {
    }

    private final Duration step;
    private final Map<ReservationId, Server> servers = new HashMap<>();

    public SimulatedTelemetry(Duration step) {
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("the simulated sample step must be positive: " + step);
        }
        this.step = step;
    }

    public synchronized void started(ReservationId id, int gpus, Instant at) {
        servers.put(id, new Server(gpus, at, new TreeMap<>()));
    }

    /** Marks a server busy (or idle again) from {@code at} on; false when the simulation does not know it. */
    public synchronized boolean busy(ReservationId id, boolean busy, Instant at) {
        return utilization(id, busy ? BUSY_UTIL : 0, at);
    }

    /** Its GPUs run at {@code percent} from {@code at} on (memory held while above 0); false when the simulation does not know it. */
    public synchronized boolean utilization(ReservationId id, double percent, Instant at) {
        Server s = servers.get(id);
        if (s == null) {
            return false;
        }
        s.busy().put(at, Math.clamp(percent, 0, 100));
        return true;
    }

    public synchronized boolean knows(ReservationId id) {
        return servers.containsKey(id);
    }

    public synchronized void ended(ReservationId id) {
        servers.remove(id);
    }

    @Override
    public synchronized Map<ReservationId, GpuReading> read(Set<ReservationId> reservations, Instant from, Instant to) {
        Map<ReservationId, GpuReading> answer = new HashMap<>();
        for (ReservationId id : reservations) {
            Server s = servers.get(id);
            answer.put(id, s == null || s.started().isAfter(to) ? new GpuReading.Unknown("the simulation runs no server " + id)
                    : new GpuReading.Samples(samples(id, s, from.isAfter(s.started()) ? from : s.started(), to)));
        }
        return Map.copyOf(answer);
    }

    private List<GpuSample> samples(ReservationId id, Server s, Instant first, Instant to) {
        List<Instant> times = new ArrayList<>();
        long skip = Math.ceilDiv(Duration.between(s.started(), first).toNanos(), step.toNanos());
        for (Instant t = s.started().plus(step.multipliedBy(skip)); !t.isAfter(to); t = t.plus(step)) {
            times.add(t);
        }
        if (times.isEmpty() || times.getLast().isBefore(to)) {
            times.add(to);
        }
        List<GpuSample> samples = new ArrayList<>();
        for (Instant t : times) {
            var mark = s.busy().floorEntry(t);
            double util = mark == null ? 0 : mark.getValue();
            for (int g = 0; g < s.gpus(); g++) {
                samples.add(new GpuSample(id + "/" + g, t, util, util > 0 ? BUSY_MEMORY_MIB : 0));
            }
        }
        return samples;
    }
}
