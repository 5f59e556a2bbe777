package dev.gpudev.adapters.telemetry;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Where GPU telemetry comes from, built by the bot from the {@code telemetry.*} config keys (see docs/idle.md).
 *
 * @param source     prometheus, exporters or off
 * @param prometheus the Prometheus server's root, e.g. http://prometheus.monitoring:9090 (source prometheus)
 * @param exporters  the DCGM exporters' metrics pages, e.g. http://10.0.3.7:9400/metrics (source exporters)
 * @param namespace  the namespace of the servers' pods: series of pods elsewhere are ignored
 * @param step       the resolution asked of query_range
 * @param timeout    per HTTP request
 */
public record TelemetrySettings(Source source, URI prometheus, List<URI> exporters, String namespace, Duration step, Duration timeout) {
    public enum Source {
        PROMETHEUS, EXPORTERS, OFF;

        public static Source parse(String text) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("telemetry.source must be prometheus, exporters or off, not '" + text + "'", e);
            }
        }
    }

    public TelemetrySettings {
        exporters = List.copyOf(exporters);
        for (URI u : exporters) {
            http(u, "telemetry.exporters");
        }
        if (source == Source.PROMETHEUS) {
            http(prometheus, "telemetry.prometheus-url");
        }
        if (source == Source.EXPORTERS && exporters.isEmpty()) {
            throw new IllegalArgumentException("telemetry.source is exporters but telemetry.exporters lists none");
        }
        if (namespace.isBlank()) {
            throw new IllegalArgumentException("telemetry needs the servers' namespace");
        }
        for (Duration d : new Duration[] {step, timeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("telemetry durations must be positive: " + d);
            }
        }
    }

    private static void http(URI u, String key) {
        if ((!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) || u.getHost() == null) {
            throw new IllegalArgumentException(key + " must be http(s)://host...: " + u);
        }
    }
}
