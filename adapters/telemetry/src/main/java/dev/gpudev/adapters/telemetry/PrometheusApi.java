package dev.gpudev.adapters.telemetry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two read endpoints of the Prometheus HTTP API: {@code /api/v1/query} (a vector at one instant) and
 * {@code /api/v1/query_range} (a matrix). Anything but a 200 with {@code "status":"success"} and the documented shape
 * is a {@link TelemetryUnavailableException} carrying Prometheus's own error when it gave one.
 */
final class PrometheusApi {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Point(Instant at, double value) {
    }

    record Series(Map<String, String> labels, List<Point> points) {
    }

    private final HttpClient http;
    private final String base;
    private final Duration timeout;

    PrometheusApi(HttpClient http, URI root, Duration timeout) {
        this.http = http;
        this.base = root.toString().replaceAll("/+$", "");
        this.timeout = timeout;
    }

    List<Series> instant(String query, Instant at) {
        return get("/api/v1/query", "query=" + enc(query) + "&time=" + seconds(at), "vector");
    }

    List<Series> range(String query, Instant start, Instant end, Duration step) {
        return get("/api/v1/query_range", "query=" + enc(query) + "&start=" + seconds(start) + "&end=" + seconds(end)
                + "&step=" + step.toSeconds() + "s", "matrix");
    }

    private List<Series> get(String path, String params, String expected) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path + "?" + params)).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        HttpResponse<String> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TelemetryUnavailableException("Prometheus at " + base + " cannot be reached (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TelemetryUnavailableException("interrupted while asking Prometheus", e);
        }
        return parse(res.statusCode(), res.body(), expected);
    }

    /** The series of an answer whose result should be {@code expected} (vector or matrix). */
    static List<Series> parse(int status, String text, String expected) {
        JsonNode body;
        try {
            body = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new TelemetryUnavailableException("Prometheus answered " + status + " with a body that is not JSON", e);
        }
        if (status != 200 || !"success".equals(body.path("status").asString(""))) {
            throw new TelemetryUnavailableException("Prometheus answered " + status + ": "
                    + body.path("errorType").asString("?") + ": " + body.path("error").asString("no error given"));
        }
        JsonNode data = body.path("data");
        String type = data.path("resultType").asString("");
        JsonNode result = data.path("result");
        if (!expected.equals(type) || !result.isArray()) {
            throw new TelemetryUnavailableException("Prometheus answered a '" + type + "' result, expected a " + expected);
        }
        List<Series> out = new ArrayList<>();
        for (JsonNode s : result) {
            Map<String, String> labels = new HashMap<>();
            s.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString("")));
            List<Point> points = new ArrayList<>();
            if ("vector".equals(expected)) {
                point(s.path("value")).ifPresent(points::add);
            } else {
                for (JsonNode v : s.path("values")) {
                    point(v).ifPresent(points::add);
                }
            }
            out.add(new Series(Map.copyOf(labels), List.copyOf(points)));
        }
        return out;
    }

    /** {@code [1733392800.123, "42"]}; a point that is not that (or NaN, +Inf) is skipped, and its absence shows as a hole. */
    private static Optional<Point> point(JsonNode pair) {
        if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isNumber()) {
            return Optional.empty();
        }
        try {
            double value = Double.parseDouble(pair.get(1).asString(""));
            long millis = Math.round(pair.get(0).asDouble() * 1000);
            return Double.isFinite(value) ? Optional.of(new Point(Instant.ofEpochMilli(millis), value)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String seconds(Instant t) {
        return t.getEpochSecond() + (t.getNano() == 0 ? "" : String.format(Locale.ROOT, ".%03d", t.getNano() / 1_000_000));
    }
}
