package dev.gpudev.adapters.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;

import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.GpuReading;
import dev.gpudev.scheduler.port.GpuTelemetry;

/**
 * Scrapes each DCGM exporter's {@code /metrics} page (Prometheus text format, parsed by the Hawkular text parser) and
 * returns what the GPUs show now, stamped with the scrape time; the window is the caller's (a
 * {@link dev.gpudev.scheduler.idle.SampleWindow}). An exporter that cannot be read leaves its reservations unknown.
 */
public final class ExporterTelemetry implements GpuTelemetry {
    private static final System.Logger LOG = System.getLogger(ExporterTelemetry.class.getName());

    private final HttpClient http;
    private final Supplier<List<URI>> exporters;
    private final String namespace;
    private final Duration timeout;
    private final Clock clock;

    /** @param exporters the pages to scrape, asked again on every read (static from config, or the GPU nodes' addresses) */
    public ExporterTelemetry(HttpClient http, Supplier<List<URI>> exporters, String namespace, Duration timeout, Clock clock) {
        this.http = http;
        this.exporters = exporters;
        this.namespace = namespace;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public Map<ReservationId, GpuReading> read(Set<ReservationId> reservations, Instant from, Instant to) {
        if (reservations.isEmpty()) {
            return Map.of();
        }
        Instant now = clock.instant();
        Readings readings = new Readings(namespace);
        List<String> failures = new ArrayList<>();
        for (URI page : exporters.get()) {
            try {
                add(readings, families(page), now);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "DCGM exporter " + page + " not read: " + e.getMessage());
                failures.add(page.getHost() + ": " + e.getMessage());
            }
        }
        String why = failures.isEmpty() ? "no DCGM exporter shows a GPU of its pods in namespace " + namespace
                : "no GPU of its pods on the exporters read; not read: " + String.join("; ", failures);
        return readings.answer(reservations, why);
    }

    private List<MetricFamily> families(URI page) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(page).timeout(timeout).header("Accept", "text/plain;version=0.0.4").GET().build();
        HttpResponse<InputStream> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TelemetryUnavailableException("interrupted", e);
        }
        try (InputStream body = res.body()) {
            if (res.statusCode() != 200) {
                throw new TelemetryUnavailableException("answered " + res.statusCode());
            }
            return parse(body);
        }
    }

    static void add(Readings readings, List<MetricFamily> families, Instant now) {
        for (MetricFamily family : families) {
            for (Metric m : family.getMetrics()) {
                if (m instanceof Gauge g) {
                    readings.add(family.getName(), m.getLabels(), now, g.getValue());
                }
            }
        }
    }

    /**
     * The families of a page in the Prometheus text format; lines the parser cannot read are left out. A page it gives
     * up on is unavailable as a whole: one whose first byte is not ASCII (the binary format's), or one with a family
     * whose first line is a {@code # TYPE} it does not know ({@code untyped}, OpenMetrics' {@code info}); DCGM pages
     * open each family with {@code # HELP}, which the parser reads as a gauge until told otherwise.
     */
    static List<MetricFamily> parse(InputStream page) {
        List<MetricFamily> families = new ArrayList<>();
        TextPrometheusMetricDataParser parser = new TextPrometheusMetricDataParser(page);
        try {
            for (MetricFamily f = parser.parse(); f != null; f = parser.parse()) {
                families.add(f);
            }
        } catch (IOException | RuntimeException e) {
            throw new TelemetryUnavailableException("not a page in the Prometheus text format the parser reads (" + e.getMessage() + ")", e);
        }
        return families;
    }
}
