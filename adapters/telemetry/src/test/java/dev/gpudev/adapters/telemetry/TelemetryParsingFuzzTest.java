package dev.gpudev.adapters.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.GpuReading;

/**
 * Whatever a Prometheus or an exporter answers, the readers give every reservation asked about samples or Unknown:
 * no other exception escapes (the only one allowed is {@link TelemetryUnavailableException}, which the readers turn into
 * Unknown), and no sample is out of range. Seeds: the recorded answers, mutated.
 */
class TelemetryParsingFuzzTest {
    static final Set<ReservationId> ASKED = Set.of(new ReservationId("h100-7f3a"), new ReservationId("h100-0b1c"));
    static final List<String> RECORDED = List.of("prometheus-query_range-util.json", "prometheus-query-util.json", "dcgm-exporter-metrics.txt");

    @FuzzTest(maxDuration = "1m")
    void anyAnswerIsSamplesOrUnknown(FuzzedDataProvider data) {
        String seed = Recorded.text(RECORDED.get(data.consumeInt(0, RECORDED.size() - 1)));
        int at = data.consumeInt(0, seed.length());
        String body = seed.substring(0, at) + data.consumeString(200) + seed.substring(Math.min(seed.length(), at + data.consumeInt(0, 400)));
        Readings readings = new Readings("gpu-dev");
        try {
            if (data.consumeBoolean()) {
                for (PrometheusApi.Series s : PrometheusApi.parse(data.consumeBoolean() ? 200 : data.consumeInt(100, 599), body,
                        data.consumeBoolean() ? "matrix" : "vector")) {
                    s.points().forEach(p -> readings.add(DcgmLabels.UTIL, s.labels(), p.at(), p.value()));
                }
            } else {
                ExporterTelemetry.add(readings, ExporterTelemetry.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))), Instant.EPOCH);
            }
        } catch (TelemetryUnavailableException e) {
            assertThat(e.getMessage()).isNotBlank();
        }

        Map<ReservationId, GpuReading> answer = readings.answer(ASKED, "not seen");

        assertThat(answer).containsOnlyKeys(ASKED);
    }
}
