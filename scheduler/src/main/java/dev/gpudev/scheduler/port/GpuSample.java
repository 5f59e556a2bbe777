package dev.gpudev.scheduler.port;

import java.time.Instant;

/**
 * One reading of one GPU of a reservation.
 *
 * @param gpu           a key unique per physical GPU (the DCGM {@code UUID}, else host and index)
 * @param utilization   percent of the sample period a kernel ran (DCGM_FI_DEV_GPU_UTIL), 0..100
 * @param memoryUsedMib framebuffer in use (DCGM_FI_DEV_FB_USED); NaN when that series had no point at this instant
 */
public record GpuSample(String gpu, Instant at, double utilization, double memoryUsedMib) {
    public GpuSample {
        if (gpu.isBlank()) {
            throw new IllegalArgumentException("a GPU sample needs the GPU it was read from");
        }
        if (!(utilization >= 0 && utilization <= 100)) {
            throw new IllegalArgumentException("GPU utilization must be 0..100 %: " + utilization);
        }
        if (memoryUsedMib < 0) {
            throw new IllegalArgumentException("GPU memory in use cannot be negative: " + memoryUsedMib);
        }
    }
}
