package dev.gpudev.scheduler.port;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.gpudev.scheduler.model.ReservationId;

/**
 * GPU utilization and memory of reservations, read from the cluster's metrics (Prometheus, the DCGM exporters, or a
 * simulation). Implementations never throw: a failure is a {@link GpuReading.Unknown} for every id asked about.
 */
public interface GpuTelemetry {
    /** Telemetry switched off: nothing is ever known, so nothing is ever idle. */
    GpuTelemetry OFF = (reservations, from, to) -> unknown(reservations, "GPU telemetry is off");

    /**
     * Samples taken in {@code [from, to]}; a source that only sees the present (an exporter scrape) returns what it sees
     * now. The answer has an entry for every id asked about.
     */
    Map<ReservationId, GpuReading> read(Set<ReservationId> reservations, Instant from, Instant to);

    static Map<ReservationId, GpuReading> unknown(Set<ReservationId> reservations, String why) {
        GpuReading unknown = new GpuReading.Unknown(why);
        return reservations.stream().collect(Collectors.toUnmodifiableMap(Function.identity(), id -> unknown));
    }
}
