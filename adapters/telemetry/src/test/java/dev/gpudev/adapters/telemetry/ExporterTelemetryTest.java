package dev.gpudev.adapters.telemetry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.gpudev.scheduler.idle.Activity;
import dev.gpudev.scheduler.idle.ActivityWindow;
import dev.gpudev.scheduler.idle.IdleRule;
import dev.gpudev.scheduler.idle.SampleWindow;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.GpuReading;
import dev.gpudev.scheduler.port.GpuSample;
import dev.gpudev.scheduler.testing.MutableClock;

class ExporterTelemetryTest {
    @RegisterExtension
    static WireMockExtension node1 = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();
    @RegisterExtension
    static WireMockExtension node2 = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final ReservationId IDLE = new ReservationId("h100-7f3a");
    static final ReservationId BUSY = new ReservationId("h100-0b1c");
    static final ReservationId OTHER_NAMESPACE = new ReservationId("h100-cafe");
    static final ReservationId ON_NODE2 = new ReservationId("l4-a11c");
    final MutableClock clock = MutableClock.at("2026-12-05T10:00:00Z");

    ExporterTelemetry telemetry(URI... pages) {
        return new ExporterTelemetry(HttpClient.newHttpClient(), () -> List.of(pages), "gpu-dev", Duration.ofSeconds(5), clock);
    }

    static URI metrics(WireMockExtension node) {
        return URI.create(node.baseUrl() + "/metrics");
    }

    static void page(WireMockExtension node, String body) {
        node.stubFor(get(urlPathEqualTo("/metrics")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").withBody(body)));
    }

    @Test
    void theRecordedPageGivesEachReservationItsGpusNow() {
        page(node1, Recorded.text("dcgm-exporter-metrics.txt"));

        Map<ReservationId, GpuReading> read = telemetry(metrics(node1)).read(Set.of(IDLE, BUSY, OTHER_NAMESPACE), clock.instant(), clock.instant());

        assertThat(((GpuReading.Samples) read.get(IDLE)).samples()).hasSize(4).allSatisfy(s -> {
            assertThat(s.utilization()).isZero();
            assertThat(s.memoryUsedMib()).isEqualTo(1);
            assertThat(s.at()).isEqualTo(clock.instant());
        });
        assertThat(((GpuReading.Samples) read.get(BUSY)).samples()).extracting(GpuSample::utilization).containsOnly(97.0, 100.0);
        assertThat(((GpuReading.Samples) read.get(BUSY)).samples()).extracting(GpuSample::gpu)
                .containsOnly("GPU-2468ace0-1357-4bdf-9ace-02468ace1357", "GPU-fedcba98-7654-4321-8fed-cba987654321");
        assertThat(read.get(OTHER_NAMESPACE)).isInstanceOf(GpuReading.Unknown.class);
    }

    @Test
    void scrapesEveryMinuteFillASlidingWindowThatShowsIdleAfterThirtyMinutes() {
        page(node1, Recorded.text("dcgm-exporter-metrics.txt"));
        ExporterTelemetry telemetry = telemetry(metrics(node1));
        SampleWindow window = new SampleWindow(Duration.ofHours(1));
        IdleRule rule = IdleRule.defaults();
        var start = clock.instant();

        for (int minute = 0; minute <= 30; minute++) {
            window.add(telemetry.read(Set.of(IDLE, BUSY), clock.instant(), clock.instant()), clock.instant());
            if (minute < 30) {
                clock.advance(Duration.ofMinutes(1));
            }
        }

        Activity idle = ActivityWindow.of(window.samples(IDLE), 4, start, start, clock.instant(), rule);
        Activity busy = ActivityWindow.of(window.samples(BUSY), 2, start, start, clock.instant(), rule);
        assertThat(Activity.idleFor(idle, rule.idleFor())).isTrue();
        assertThat(busy).isInstanceOfSatisfying(Activity.Known.class, k -> assertThat(k.idle()).isFalse());
    }

    @Test
    void anExporterThatFailsLeavesOnlyItsReservationsUnknown() {
        page(node1, Recorded.text("dcgm-exporter-metrics.txt"));
        node2.stubFor(get(urlPathEqualTo("/metrics")).willReturn(aResponse().withStatus(500).withBody("failed to collect metrics")));

        Map<ReservationId, GpuReading> read = telemetry(metrics(node2), metrics(node1)).read(Set.of(IDLE, ON_NODE2), clock.instant(), clock.instant());

        assertThat(read.get(IDLE)).isInstanceOf(GpuReading.Samples.class);
        assertThat(read.get(ON_NODE2)).isInstanceOfSatisfying(GpuReading.Unknown.class, u -> assertThat(u.why()).contains("answered 500"));
    }

    @Test
    void anExporterThatIsDownOrCutsTheConnectionIsUnknown() {
        node2.stubFor(get(urlPathEqualTo("/metrics")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        Map<ReservationId, GpuReading> read = telemetry(metrics(node2), URI.create("http://127.0.0.1:9/metrics"))
                .read(Set.of(IDLE), clock.instant(), clock.instant());

        assertThat(read.get(IDLE)).isInstanceOfSatisfying(GpuReading.Unknown.class, u -> assertThat(u.why()).contains("not read"));
    }

    @Test
    void aMalformedPageIsUnknownForTheGpusItDoesNotShowNeverIdle() {
        String page = Recorded.text("dcgm-exporter-metrics.txt");
        String broken = page.lines().map(l -> l.startsWith("DCGM_FI_DEV_GPU_UTIL{gpu=\"3\"") ? l.substring(0, 60) : l)
                .reduce("", (a, b) -> a + b + "\n");
        page(node1, broken);
        page(node2, "<html><body>502 Bad Gateway</body></html>\n");

        Map<ReservationId, GpuReading> read = telemetry(metrics(node1), metrics(node2)).read(Set.of(IDLE, ON_NODE2), clock.instant(), clock.instant());

        List<GpuSample> seen = ((GpuReading.Samples) read.get(IDLE)).samples();
        assertThat(seen).as("the cut line is dropped, not guessed").hasSize(3);
        assertThat(ActivityWindow.of(seen, 4, clock.instant().minusSeconds(60), clock.instant().minusSeconds(60), clock.instant(), IdleRule.defaults()))
                .as("a GPU missing from the page is not an idle GPU").isInstanceOf(Activity.Unknown.class);
        assertThat(read.get(ON_NODE2)).isInstanceOf(GpuReading.Unknown.class);
    }

    @Test
    void aPageTheParserGivesUpOnIsUnknownForItsNode() {
        page(node1, "# TYPE build_info untyped\nbuild_info{version=\"4.4.0\"} 1\n" + Recorded.text("dcgm-exporter-metrics.txt"));
        page(node2, "\u00ff\u0001binary\n");

        Map<ReservationId, GpuReading> read = telemetry(metrics(node1), metrics(node2)).read(Set.of(IDLE), clock.instant(), clock.instant());

        assertThat(read.get(IDLE)).isInstanceOfSatisfying(GpuReading.Unknown.class, u -> assertThat(u.why()).contains("Prometheus text format"));
    }
}
