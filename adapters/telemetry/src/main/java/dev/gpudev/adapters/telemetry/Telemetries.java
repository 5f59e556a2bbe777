package dev.gpudev.adapters.telemetry;

import java.net.http.HttpClient;
import java.time.Clock;

import dev.gpudev.scheduler.port.GpuTelemetry;

/** The reader the settings name. */
public final class Telemetries {
    private Telemetries() {
    }

    public static GpuTelemetry of(TelemetrySettings settings, HttpClient http, Clock clock) {
        return switch (settings.source()) {
            case PROMETHEUS -> new PrometheusTelemetry(http, settings);
            case EXPORTERS -> new ExporterTelemetry(http, settings::exporters, settings.namespace(), settings.timeout(), clock);
            case OFF -> GpuTelemetry.OFF;
        };
    }
}
