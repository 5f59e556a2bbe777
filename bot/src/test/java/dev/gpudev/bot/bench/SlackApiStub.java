package dev.gpudev.bot.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The Slack Web API and the response URLs on 127.0.0.1: canned JSON from the JDK's HTTP server, on its one dispatcher
 * thread. Not WireMock (as the tests use): a deployed bot calls slack.com over the network and pays nothing for
 * Slack's side, while WireMock in this JVM (Jetty, stub matching, request objects) cost about as much CPU per call as
 * the bot's own Slack client, competing with the acks for the same cores. It only counts the calls: Web API calls,
 * and follow-ups to response URLs (for {@code /gpu reserve}, those are refusals).
 */
final class SlackApiStub implements AutoCloseable {
    private static final Map<String, byte[]> ANSWERS = Map.of(
            "/api/auth.test", json("""
                    {"ok":true,"url":"https://bench.slack.com/","team":"bench","user":"gpu-dev-bot","team_id":"T1","user_id":"UBOT","bot_id":"BBOT"}"""),
            "/api/conversations.open", json("""
                    {"ok":true,"channel":{"id":"D0BENCH"}}"""),
            "/api/chat.postMessage", json("""
                    {"ok":true,"channel":"D0BENCH","ts":"1700000000.000100"}"""),
            "/api/chat.update", json("""
                    {"ok":true,"channel":"D0BENCH","ts":"1700000000.000100"}"""));
    private static final byte[] UNKNOWN = json("""
            {"ok":false,"error":"unknown_method"}""");
    private static final byte[] OK = "ok".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final LongAdder apiCalls = new LongAdder();
    private final Map<String, LongAdder> byMethod = new ConcurrentHashMap<>();
    private final LongAdder responses = new LongAdder();

    SlackApiStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.createContext("/", this::answer);
        server.start();
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            if (path.startsWith("/response/")) {
                responses.increment();
                body = OK;
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
            } else {
                apiCalls.increment();
                byMethod.computeIfAbsent(path.substring(path.lastIndexOf('/') + 1), m -> new LongAdder()).increment();
                body = ANSWERS.getOrDefault(path, UNKNOWN);
                exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            }
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** Where Bolt's Web API client sends {@code <method>} calls. */
    String apiUrl() {
        return base() + "/api/";
    }

    String responseUrl(String user) {
        return base() + "/response/" + user;
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Web API calls so far per method, in method order. */
    Map<String, Long> apiCallsByMethod() {
        Map<String, Long> counts = new TreeMap<>();
        byMethod.forEach((method, n) -> counts.put(method, n.sum()));
        return counts;
    }

    long apiCalls() {
        return apiCalls.sum();
    }

    long responses() {
        return responses.sum();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
