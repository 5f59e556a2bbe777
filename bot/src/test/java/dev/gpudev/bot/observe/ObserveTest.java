package dev.gpudev.bot.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.gpudev.bot.Bot;
import dev.gpudev.bot.TestBots;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;

class ObserveTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Bot bot;

    @BeforeAll
    static void start() throws Exception {
        bot = Bot.start(TestBots.config(Map.of()), Map.of(), new MutableClock(Fixtures.T0),
                new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterAll
    static void stop() {
        bot.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessReportsTheScheduler() throws Exception {
        var health = get("/observe/health/ready");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("scheduler").contains("UP");
    }

    @Test
    void metricsShowFreeGpusPerType() throws Exception {
        var metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.port() + "/observe/metrics"))
                .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).containsPattern("gpudev_free_gpus\\{.*type=\"h100\".*} 16");
    }
}
