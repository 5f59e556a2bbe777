package dev.gpudev.scheduler.port;

import java.util.List;

/** What the telemetry source knows about one reservation's GPUs: samples, or why it cannot tell. */
public sealed interface GpuReading {
    record Samples(List<GpuSample> samples) implements GpuReading {
        public Samples {
            samples = List.copyOf(samples);
            if (samples.isEmpty()) {
                throw new IllegalArgumentException("no samples is Unknown, not Samples");
            }
        }
    }

    /** The source was down, answered nonsense, or has no series for this reservation's pods. Never "idle". */
    record Unknown(String why) implements GpuReading {
    }
}
