package dev.gpudev.adapters.telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.GpuReading;
import dev.gpudev.scheduler.port.GpuSample;

/** Joins the utilization and memory points of each GPU at each instant into samples, per reservation asked about. */
final class Readings {
    private record Key(ReservationId reservation, String gpu, Instant at) {
    }

    private final String namespace;
    private final Map<Key, Double> util = new HashMap<>();
    private final Map<Key, Double> memory = new HashMap<>();

    Readings(String namespace) {
        this.namespace = namespace;
    }

    /** Adds one point of a DCGM series; points of other pods, and values that are not numbers in range, are skipped. */
    void add(String metric, Map<String, String> labels, Instant at, double value) {
        DcgmLabels.reservation(labels, namespace).ifPresent(id -> {
            Key key = new Key(id, DcgmLabels.gpu(labels), at);
            if (DcgmLabels.UTIL.equals(metric) && value >= 0 && value <= 100) {
                util.put(key, value);
            } else if (DcgmLabels.MEMORY.equals(metric) && value >= 0 && Double.isFinite(value)) {
                memory.put(key, value);
            }
        });
    }

    /** An entry for every id asked about: its samples, or Unknown saying why. */
    Map<ReservationId, GpuReading> answer(Set<ReservationId> asked, String whyMissing) {
        Map<ReservationId, List<GpuSample>> found = new HashMap<>();
        util.forEach((k, u) -> found.computeIfAbsent(k.reservation(), id -> new ArrayList<>())
                .add(new GpuSample(k.gpu(), k.at(), u, memory.getOrDefault(k, Double.NaN))));
        Map<ReservationId, GpuReading> answer = new HashMap<>();
        for (ReservationId id : asked) {
            List<GpuSample> samples = found.get(id);
            answer.put(id, samples == null ? new GpuReading.Unknown(whyMissing) : new GpuReading.Samples(samples));
        }
        return Map.copyOf(answer);
    }
}
