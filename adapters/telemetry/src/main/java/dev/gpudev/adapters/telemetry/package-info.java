/**
 * GPU telemetry readers behind {@link dev.gpudev.scheduler.port.GpuTelemetry}: the Prometheus HTTP API, a scrape of
 * the DCGM exporters' {@code /metrics} pages, and a simulation for the sandbox. See docs/idle.md.
 */
@NullMarked
package dev.gpudev.adapters.telemetry;

import org.jspecify.annotations.NullMarked;
