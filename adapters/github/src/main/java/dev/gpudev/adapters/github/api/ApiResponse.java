package dev.gpudev.adapters.github.api;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A documented answer from GitHub: 2xx, 302 or 404. {@code revalidated} is true when GitHub answered 304 to a conditional
 * request and the body is the cached one (free against the rate limit).
 */
public record ApiResponse(int status, String body, @Nullable URI next, boolean revalidated) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public JsonNode json() {
        return body.isBlank() ? JSON.missingNode() : JSON.readTree(body);
    }

    static JsonNode parse(String body) {
        return JSON.readTree(body);
    }
}
