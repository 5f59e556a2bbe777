/**
 * Usage reports: GPU-hours reserved and used per person and per GPU type, queue waits and reclaimed idle hours over a
 * week or a month, computed from the store's history (which is kept) and the GPU telemetry. What is approximate is
 * said in {@link dev.gpudev.scheduler.usage.UsageReport#APPROXIMATE}. See docs/usage.md.
 */
@NullMarked
package dev.gpudev.scheduler.usage;

import org.jspecify.annotations.NullMarked;
