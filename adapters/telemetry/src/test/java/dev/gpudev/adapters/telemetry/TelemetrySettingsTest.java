package dev.gpudev.adapters.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.GpuReading;
import dev.gpudev.scheduler.port.GpuTelemetry;

class TelemetrySettingsTest {
    static final URI PROM = URI.create("http://prometheus.monitoring:9090");
    static final Duration MIN = Duration.ofMinutes(1);

    static TelemetrySettings settings(TelemetrySettings.Source source, List<URI> exporters) {
        return new TelemetrySettings(source, PROM, exporters, "gpu-dev", MIN, Duration.ofSeconds(5));
    }

    @Test
    void theSourceNamesTheReader() {
        HttpClient http = HttpClient.newHttpClient();
        Clock clock = Clock.systemUTC();

        assertThat(Telemetries.of(settings(TelemetrySettings.Source.PROMETHEUS, List.of()), http, clock)).isInstanceOf(PrometheusTelemetry.class);
        assertThat(Telemetries.of(settings(TelemetrySettings.Source.EXPORTERS, List.of(URI.create("http://10.0.3.7:9400/metrics"))), http, clock))
                .isInstanceOf(ExporterTelemetry.class);
        assertThat(Telemetries.of(settings(TelemetrySettings.Source.OFF, List.of()), http, clock)).isSameAs(GpuTelemetry.OFF);
    }

    @Test
    void offKnowsNothing() {
        ReservationId id = new ReservationId("h100-7f3a");

        assertThat(GpuTelemetry.OFF.read(Set.of(id), Instant.EPOCH, Instant.EPOCH.plusSeconds(60)).get(id))
                .isInstanceOfSatisfying(GpuReading.Unknown.class, u -> assertThat(u.why()).contains("off"));
    }

    @Test
    void badSettingsSayWhatWouldWork() {
        assertThatThrownBy(() -> TelemetrySettings.Source.parse("grafana")).hasMessageContaining("prometheus, exporters or off");
        assertThat(TelemetrySettings.Source.parse(" Exporters ")).isEqualTo(TelemetrySettings.Source.EXPORTERS);
        assertThatThrownBy(() -> settings(TelemetrySettings.Source.EXPORTERS, List.of())).hasMessageContaining("lists none");
        assertThatThrownBy(() -> new TelemetrySettings(TelemetrySettings.Source.PROMETHEUS, URI.create("prometheus:9090"), List.of(), "gpu-dev", MIN, MIN))
                .hasMessageContaining("telemetry.prometheus-url");
    }
}
