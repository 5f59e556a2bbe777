package dev.gpudev.bot.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.concurrent.atomic.LongAdder;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * The Slack Web API and the response URLs, served by WireMock on 127.0.0.1. It keeps no request journal (a
 * benchmark sends tens of thousands) and only counts the calls: Web API calls, and follow-ups to response URLs
 * (for {@code /gpu reserve}, those are refusals).
 */
final class SlackApiStub implements AutoCloseable {
    private final WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().jettyAcceptors(1).disableRequestJournal());
    private final LongAdder apiCalls = new LongAdder();
    private final LongAdder responses = new LongAdder();

    SlackApiStub() {
        server.addMockServiceRequestListener((req, res) -> (req.getUrl().startsWith("/response/") ? responses : apiCalls).increment());
        server.start();
        server.stubFor(post("/api/auth.test").willReturn(okJson("""
                {"ok":true,"url":"https://bench.slack.com/","team":"bench","user":"gpu-dev-bot","team_id":"T1","user_id":"UBOT","bot_id":"BBOT"}""")));
        server.stubFor(post("/api/conversations.open").willReturn(okJson("""
                {"ok":true,"channel":{"id":"D0BENCH"}}""")));
        server.stubFor(post("/api/chat.postMessage").willReturn(okJson("""
                {"ok":true,"channel":"D0BENCH","ts":"1700000000.000100"}""")));
        server.stubFor(post("/api/chat.update").willReturn(okJson("""
                {"ok":true,"channel":"D0BENCH","ts":"1700000000.000100"}""")));
        server.stubFor(post(urlMatching("/response/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    /** Where Bolt's Web API client sends {@code <method>} calls. */
    String apiUrl() {
        return base() + "/api/";
    }

    String responseUrl(String user) {
        return base() + "/response/" + user;
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    long apiCalls() {
        return apiCalls.sum();
    }

    long responses() {
        return responses.sum();
    }

    @Override
    public void close() {
        server.stop();
    }
}
