package dev.gpudev.adapters.telemetry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;

import dev.gpudev.scheduler.idle.Activity;
import dev.gpudev.scheduler.idle.ActivityWindow;
import dev.gpudev.scheduler.idle.IdleRule;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.GpuReading;
import dev.gpudev.scheduler.port.GpuSample;

class PrometheusTelemetryTest {
    @RegisterExtension
    static WireMockExtension prom = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final Instant FROM = Instant.parse("2026-12-05T10:00:00Z");
    static final Instant TO = FROM.plus(Duration.ofMinutes(30));
    static final ReservationId IDLE = new ReservationId("h100-7f3a");
    static final ReservationId BUSY = new ReservationId("h100-0b1c");
    static final ReservationId OTHER_NAMESPACE = new ReservationId("h100-dead");
    static final ReservationId NOT_THERE = new ReservationId("h100-0042");
    static final Set<ReservationId> ALL = Set.of(IDLE, BUSY, OTHER_NAMESPACE, NOT_THERE);

    static PrometheusTelemetry telemetry(URI root) {
        return new PrometheusTelemetry(HttpClient.newHttpClient(), new TelemetrySettings(TelemetrySettings.Source.PROMETHEUS, root,
                List.of(), "gpu-dev", Duration.ofMinutes(1), Duration.ofSeconds(5)));
    }

    static void rangeAnswers(ResponseDefinitionBuilder util, ResponseDefinitionBuilder memory) {
        prom.stubFor(get(urlPathEqualTo("/api/v1/query_range")).withQueryParam("query", matching("DCGM_FI_DEV_GPU_UTIL.*")).willReturn(util));
        prom.stubFor(get(urlPathEqualTo("/api/v1/query_range")).withQueryParam("query", matching("DCGM_FI_DEV_FB_USED.*")).willReturn(memory));
    }

    @Test
    void aRecordedRangeAnswerGivesEachReservationItsGpusSamples() {
        rangeAnswers(okJson(Recorded.text("prometheus-query_range-util.json")), okJson(Recorded.text("prometheus-query_range-fb_used.json")));

        Map<ReservationId, GpuReading> read = telemetry(URI.create(prom.baseUrl())).read(ALL, FROM, TO);

        assertThat(read).containsOnlyKeys(ALL);
        List<GpuSample> idle = ((GpuReading.Samples) read.get(IDLE)).samples();
        assertThat(idle).extracting(GpuSample::gpu).containsOnly("GPU-6e5c9a4b-2f1d-4c7e-9b1a-0d3f5e7a9c11", "GPU-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
        assertThat(idle).hasSize(31 + 30).allSatisfy(s -> assertThat(s.utilization()).isZero());
        assertThat(idle).filteredOn(s -> s.gpu().startsWith("GPU-0a1b")).extracting(GpuSample::memoryUsedMib).containsOnly(40213.0);
        assertThat(((GpuReading.Samples) read.get(BUSY)).samples()).extracting(GpuSample::utilization).contains(100.0).doesNotContain(0.0);
        assertThat(read.get(OTHER_NAMESPACE)).as("a pod of the same name in another namespace is not ours").isInstanceOf(GpuReading.Unknown.class);
        assertThat(read.get(NOT_THERE)).isInstanceOfSatisfying(GpuReading.Unknown.class, u -> assertThat(u.why()).contains("no DCGM_FI_DEV_GPU_UTIL series"));
        prom.verify(getRequestedFor(urlPathEqualTo("/api/v1/query_range"))
                .withQueryParam("query", equalTo("DCGM_FI_DEV_GPU_UTIL{pod=~\"gpu-dev-.+\"} or DCGM_FI_DEV_GPU_UTIL{exported_pod=~\"gpu-dev-.+\"}"))
                .withQueryParam("start", equalTo("1796464800")).withQueryParam("end", equalTo("1796466600")).withQueryParam("step", equalTo("60s")));
    }

    @Test
    void theRecordedAnswerMakesOneReservationIdleAndTheOtherBusy() {
        rangeAnswers(okJson(Recorded.text("prometheus-query_range-util.json")), okJson(Recorded.text("prometheus-query_range-fb_used.json")));
        Map<ReservationId, GpuReading> read = telemetry(URI.create(prom.baseUrl())).read(ALL, FROM, TO);

        Activity idle = ActivityWindow.of(((GpuReading.Samples) read.get(IDLE)).samples(), 2, FROM, FROM, TO, IdleRule.defaults());
        Activity busy = ActivityWindow.of(((GpuReading.Samples) read.get(BUSY)).samples(), 1, FROM, FROM, TO, IdleRule.defaults());

        assertThat(idle).isInstanceOfSatisfying(Activity.Known.class, k -> {
            assertThat(k.idle()).isTrue();
            assertThat(k.peakMemoryMib()).isEqualTo(40213);
        });
        assertThat(busy).isInstanceOfSatisfying(Activity.Known.class, k -> assertThat(k.busyFraction()).isEqualTo(1.0));
    }

    @Test
    void aPointInTimeIsAnInstantQuery() {
        prom.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", matching("DCGM_FI_DEV_GPU_UTIL.*"))
                .willReturn(okJson(Recorded.text("prometheus-query-util.json"))));
        prom.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", matching("DCGM_FI_DEV_FB_USED.*"))
                .willReturn(okJson("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}")));
        ReservationId l4 = new ReservationId("l4-a11c");

        Map<ReservationId, GpuReading> read = telemetry(URI.create(prom.baseUrl())).read(Set.of(l4), TO, TO);

        assertThat(((GpuReading.Samples) read.get(l4)).samples()).singleElement().satisfies(s -> {
            assertThat(s.utilization()).isEqualTo(23);
            assertThat(s.at()).isEqualTo(TO);
            assertThat(s.memoryUsedMib()).isNaN();
        });
        prom.verify(getRequestedFor(urlPathEqualTo("/api/v1/query")).withQueryParam("time", equalTo("1796466600")));
    }

    static final List<Arguments> FAILURES = List.of(
            Arguments.of(Named.of("503 from a Prometheus restarting", aResponse().withStatus(503).withBody("Service Unavailable")), "503"),
            Arguments.of(Named.of("500 with Prometheus's error envelope", aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                    .withBody("{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"query processing would load too many samples\"}")), "too many samples"),
            Arguments.of(Named.of("400 bad_data (recorded)", aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                    .withBody(Recorded.text("prometheus-error-bad_data.json"))), "bad_data"),
            Arguments.of(Named.of("200 that is not JSON (a proxy's login page)", aResponse().withStatus(200).withBody("<html><body>Sign in</body></html>")), "not JSON"),
            Arguments.of(Named.of("200 cut off mid-body", okJson(Recorded.text("prometheus-query_range-util.json").substring(0, 900))), "not JSON"),
            Arguments.of(Named.of("200 with a vector where a matrix belongs", okJson(Recorded.text("prometheus-query-util.json"))), "expected a matrix"),
            Arguments.of(Named.of("connection reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)), "cannot be reached"));

    @ParameterizedTest
    @FieldSource("FAILURES")
    void aFailingPrometheusMakesEveryReservationUnknownNeverIdle(ResponseDefinitionBuilder answer, String why) {
        rangeAnswers(answer, okJson(Recorded.text("prometheus-query_range-fb_used.json")));

        Map<ReservationId, GpuReading> read = telemetry(URI.create(prom.baseUrl())).read(ALL, FROM, TO);

        assertThat(read).containsOnlyKeys(ALL).allSatisfy((id, r) ->
                assertThat(r).isInstanceOfSatisfying(GpuReading.Unknown.class, u -> assertThat(u.why()).contains(why)));
    }

    @Test
    void aPrometheusThatIsDownMakesEveryReservationUnknown() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }

        Map<ReservationId, GpuReading> read = telemetry(URI.create("http://127.0.0.1:" + port)).read(ALL, FROM, TO);

        assertThat(read).containsOnlyKeys(ALL).allSatisfy((id, r) ->
                assertThat(r).isInstanceOfSatisfying(GpuReading.Unknown.class, u -> assertThat(u.why()).contains("cannot be reached")));
    }
}
