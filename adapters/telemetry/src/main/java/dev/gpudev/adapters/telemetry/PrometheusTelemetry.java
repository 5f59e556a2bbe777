package dev.gpudev.adapters.telemetry;

import java.net.http.HttpClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.GpuReading;
import dev.gpudev.scheduler.port.GpuTelemetry;

/**
 * Reads DCGM series of the servers' pods from Prometheus: a {@code query_range} over the window at the configured
 * step, or an instant {@code query} when the window is a point. Only series of pods named like servers are asked for
 * (by {@code pod} or, behind a ServiceMonitor, {@code exported_pod}); the namespace is checked on our side.
 */
public final class PrometheusTelemetry implements GpuTelemetry {
    private static final System.Logger LOG = System.getLogger(PrometheusTelemetry.class.getName());

    private final PrometheusApi api;
    private final TelemetrySettings settings;

    public PrometheusTelemetry(HttpClient http, TelemetrySettings settings) {
        this.api = new PrometheusApi(http, settings.prometheus(), settings.timeout());
        this.settings = settings;
    }

    static String query(String metric) {
        return metric + "{pod=~\"gpu-dev-.+\"} or " + metric + "{exported_pod=~\"gpu-dev-.+\"}";
    }

    @Override
    public Map<ReservationId, GpuReading> read(Set<ReservationId> reservations, Instant from, Instant to) {
        if (reservations.isEmpty()) {
            return Map.of();
        }
        try {
            Readings readings = new Readings(settings.namespace());
            for (String metric : List.of(DcgmLabels.UTIL, DcgmLabels.MEMORY)) {
                List<PrometheusApi.Series> series = from.equals(to) ? api.instant(query(metric), to)
                        : api.range(query(metric), from, to, settings.step());
                for (PrometheusApi.Series s : series) {
                    for (PrometheusApi.Point p : s.points()) {
                        readings.add(metric, s.labels(), p.at(), p.value());
                    }
                }
            }
            return readings.answer(reservations, "Prometheus has no " + DcgmLabels.UTIL + " series for its pods in namespace "
                    + settings.namespace());
        } catch (TelemetryUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "GPU telemetry unknown: " + e.getMessage());
            return GpuTelemetry.unknown(reservations, e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "GPU telemetry unknown: reading Prometheus failed", e);
            return GpuTelemetry.unknown(reservations, "reading Prometheus failed: " + e);
        }
    }
}
