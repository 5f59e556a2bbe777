package dev.gpudev.scheduler.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.GpuReading;
import dev.gpudev.scheduler.port.GpuSample;
import dev.gpudev.scheduler.port.GpuTelemetry;

/**
 * GPU telemetry for tests, a part of the world that survives the bot: every GPU asked about reports every minute of
 * the window, at 0 % unless marked busy (90 %, 30 GiB) or silent (nothing known).
 */
public final class FakeGpus implements GpuTelemetry {
    private final Map<String, Double> utilization = new HashMap<>();
    private final Set<String> silent = new HashSet<>();
    private final Map<String, Integer> gpus = new HashMap<>();

    public synchronized void busy(String id, boolean busy) {
        utilization.put(id, busy ? 90.0 : 0.0);
    }

    public synchronized void silent(String id, boolean silent) {
        if (silent) {
            this.silent.add(id);
        } else {
            this.silent.remove(id);
        }
    }

    /** How many GPUs a reservation reports (default 8). */
    public synchronized void gpus(String id, int n) {
        gpus.put(id, n);
    }

    @Override
    public synchronized Map<ReservationId, GpuReading> read(Set<ReservationId> reservations, Instant from, Instant to) {
        Map<ReservationId, GpuReading> answer = new HashMap<>();
        for (ReservationId id : reservations) {
            if (silent.contains(id.value())) {
                answer.put(id, new GpuReading.Unknown("no series for " + id));
                continue;
            }
            double util = utilization.getOrDefault(id.value(), 0.0);
            List<GpuSample> samples = new ArrayList<>();
            for (Instant t = from; !t.isAfter(to); t = t.plus(Duration.ofMinutes(1))) {
                for (int g = 0; g < gpus.getOrDefault(id.value(), 8); g++) {
                    samples.add(new GpuSample(id + "/" + g, t, util, util > 0 ? 30_720 : 0));
                }
            }
            answer.put(id, new GpuReading.Samples(samples));
        }
        return answer;
    }
}
