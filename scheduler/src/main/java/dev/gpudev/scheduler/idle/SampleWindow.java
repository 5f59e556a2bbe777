package dev.gpudev.scheduler.idle;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.GpuReading;
import dev.gpudev.scheduler.port.GpuSample;

/**
 * The recent samples of each reservation, for sources that only see the present (exporter scrapes, the simulation):
 * each poll adds what it read, and samples older than {@code keep} are dropped. An Unknown reading adds nothing, so the
 * hole it leaves makes the window unknown. Not thread-safe: one poller owns it.
 */
public final class SampleWindow {
    private final Duration keep;
    /** Per reservation, its samples by GPU and time: a source that answers with the whole window each poll adds each once. */
    private final Map<ReservationId, Map<String, GpuSample>> samples = new HashMap<>();

    public SampleWindow(Duration keep) {
        this.keep = keep;
    }

    public void add(Map<ReservationId, GpuReading> readings, Instant now) {
        readings.forEach((id, reading) -> {
            if (reading instanceof GpuReading.Samples s) {
                Map<String, GpuSample> kept = samples.computeIfAbsent(id, k -> new HashMap<>());
                s.samples().forEach(sample -> kept.put(sample.gpu() + "@" + sample.at(), sample));
            }
        });
        Instant oldest = now.minus(keep);
        samples.values().forEach(kept -> kept.values().removeIf(s -> s.at().isBefore(oldest)));
        samples.values().removeIf(Map::isEmpty);
    }

    /** Forgets reservations no longer live. */
    public void retain(Set<ReservationId> live) {
        samples.keySet().retainAll(live);
    }

    public List<GpuSample> samples(ReservationId id) {
        return List.copyOf(samples.getOrDefault(id, Map.of()).values());
    }
}
