package dev.gpudev.scheduler.idle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.gpudev.scheduler.port.GpuSample;

/**
 * A reservation's activity over {@code [from, to]} from its GPU samples. Known only when the reservation held its
 * GPUs for the whole window and every GPU reported through it, with no hole longer than the rule's {@code maxGap}: a
 * GPU that is missing or went silent could be the busy one, so the answer is then unknown, never idle. The first
 * condition is not implied by the second: a server started a minute after {@code from} shows no hole longer than the
 * allowed gap, yet it has not been idle for the window.
 */
public final class ActivityWindow {
    private ActivityWindow() {
    }

    /** @param heldSince when the reservation got its GPUs (became active) */
    public static Activity of(List<GpuSample> samples, int expectedGpus, Instant heldSince, Instant from, Instant to, IdleRule rule) {
        if (!from.isBefore(to)) {
            return new Activity.Unknown("an empty window");
        }
        if (heldSince.isAfter(from)) {
            return new Activity.Unknown("its GPUs are held only since " + heldSince + ", less than the window from " + from);
        }
        Map<String, TreeMap<Instant, GpuSample>> byGpu = samples.stream()
                .filter(s -> !s.at().isBefore(from) && !s.at().isAfter(to))
                .collect(Collectors.groupingBy(GpuSample::gpu, TreeMap::new,
                        Collectors.toMap(GpuSample::at, s -> s, (a, b) -> a.utilization() >= b.utilization() ? a : b, TreeMap::new)));
        if (byGpu.size() < expectedGpus) {
            return new Activity.Unknown("samples from " + byGpu.size() + " of its " + expectedGpus + " GPUs");
        }
        Duration gap = rule.maxGap();
        for (Map.Entry<String, TreeMap<Instant, GpuSample>> gpu : byGpu.entrySet()) {
            Instant previous = from;
            for (Instant at : gpu.getValue().keySet()) {
                if (Duration.between(previous, at).compareTo(gap) > 0) {
                    return new Activity.Unknown("GPU " + gpu.getKey() + " reported nothing from " + previous + " to " + at);
                }
                previous = at;
            }
            if (Duration.between(previous, to).compareTo(gap) > 0) {
                return new Activity.Unknown("GPU " + gpu.getKey() + " reported nothing since " + previous);
            }
        }
        List<GpuSample> kept = byGpu.values().stream().flatMap(m -> m.values().stream()).toList();
        long busy = kept.stream().filter(s -> s.utilization() >= rule.threshold()).count();
        double mean = kept.stream().mapToDouble(GpuSample::utilization).average().orElseThrow();
        double peak = kept.stream().mapToDouble(GpuSample::memoryUsedMib).filter(m -> !Double.isNaN(m)).max().orElse(Double.NaN);
        return new Activity.Known(Duration.between(from, to), byGpu.size(), (double) busy / kept.size(), mean, peak);
    }
}
