package dev.gpudev.adapters.github.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * GETs against the GitHub REST API. Every 200 with an {@code ETag} is kept, and the next GET of the same URL is
 * conditional: a 304 returns the kept body and costs nothing against the rate limit. Only documented answers
 * (2xx, 302, 404) come back; everything else is a {@link GithubUnavailableException}.
 */
public final class GithubApi {
    private static final System.Logger LOG = System.getLogger(GithubApi.class.getName());
    private static final String API_VERSION = "2022-11-28";

    private final HttpClient http;
    private final String base;
    private final TokenSource tokens;
    private final Duration timeout;
    private final RateLimitGate gate;
    private final Cache<URI, Tagged> tagged;

    private record Tagged(String etag, String body, @Nullable URI next) {
    }

    public GithubApi(HttpClient http, URI apiUrl, TokenSource tokens, Duration timeout, Clock clock, Ticker ticker) {
        this.http = http;
        this.base = apiUrl.toString().replaceAll("/+$", "");
        this.tokens = tokens;
        this.timeout = timeout;
        this.gate = new RateLimitGate(clock);
        this.tagged = Caffeine.newBuilder().ticker(ticker).maximumSize(20_000).expireAfterAccess(Duration.ofDays(1)).build();
    }

    /** GET of a path under the API root, such as {@code /users/octocat/keys}. */
    public ApiResponse get(String path) {
        return get(URI.create(base + path));
    }

    public ApiResponse get(URI uri) {
        if (!uri.toString().startsWith(base + "/")) {
            throw new GithubUnavailableException("refusing to send the bot's token outside " + base + ": " + uri.getHost());
        }
        gate.check();
        Tagged kept = tagged.getIfPresent(uri);
        HttpRequest.Builder req = request(uri);
        tokens.token().ifPresent(t -> req.header("Authorization", "Bearer " + t));
        if (kept != null) {
            req.header("If-None-Match", kept.etag());
        }
        HttpResponse<String> res = send(req.build());
        int status = res.statusCode();
        if (gate.observe(status, res.headers(), res.body())) {
            throw new GithubUnavailableException("GitHub rate limit (" + status + ") on " + uri.getPath() + "; closed until " + gate.closedUntil());
        }
        if (status == 304 && kept != null) {
            return new ApiResponse(200, kept.body(), kept.next(), true);
        }
        if (status != 200 && status != 204 && status != 302 && status != 404) {
            throw new GithubUnavailableException("GitHub answered " + status + " to GET " + uri.getPath());
        }
        URI next = res.headers().firstValue("link").flatMap(LinkHeader::next).orElse(null);
        Optional<String> etag = res.headers().firstValue("etag");
        if (status == 200 && etag.isPresent()) {
            tagged.put(uri, new Tagged(etag.get(), res.body(), next));
        } else {
            tagged.invalidate(uri);
        }
        return new ApiResponse(status, res.body(), next, false);
    }

    /**
     * All items of a paginated array resource, following {@code rel="next"} up to {@code maxPages}; empty when the
     * first page is a 404.
     */
    public Optional<List<JsonNode>> list(String path, int maxPages) {
        List<JsonNode> items = new ArrayList<>();
        ApiResponse page = get(path);
        if (page.status() == 404) {
            return Optional.empty();
        }
        for (int n = 1; ; n++) {
            if (page.status() != 200) {
                throw new GithubUnavailableException("GitHub answered " + page.status() + " to a page of " + path);
            }
            JsonNode json = json(page);
            if (!json.isArray()) {
                throw new GithubUnavailableException("GitHub sent no array for " + path);
            }
            json.values().forEach(items::add);
            if (page.next() == null || n >= maxPages) {
                if (page.next() != null) {
                    LOG.log(System.Logger.Level.WARNING, "stopped after " + maxPages + " pages of " + path);
                }
                return Optional.of(List.copyOf(items));
            }
            page = get(page.next());
        }
    }

    /** GET with somebody else's token (a user's, from the device flow): never cached, never logged. */
    public ApiResponse getWithToken(String path, String token) {
        HttpRequest req = request(URI.create(base + path)).header("Authorization", "Bearer " + token).build();
        HttpResponse<String> res = send(req);
        int status = res.statusCode();
        if (status != 200 && status != 404) {
            throw new GithubUnavailableException("GitHub answered " + status + " to GET " + path + " with a user token");
        }
        return new ApiResponse(status, res.body(), null, false);
    }

    public static JsonNode json(ApiResponse response) {
        try {
            return response.json();
        } catch (JacksonException e) {
            throw new GithubUnavailableException("GitHub sent JSON that does not parse", e);
        }
    }

    /** The last {@code X-RateLimit-Remaining} GitHub reported, or -1 before any answer. */
    public long rateLimitRemaining() {
        return gate.remaining();
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).GET().timeout(timeout)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", API_VERSION)
                .header("User-Agent", "gpu-dev-bot");
    }

    private HttpResponse<String> send(HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new GithubUnavailableException("GitHub unreachable: " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GithubUnavailableException("interrupted while calling GitHub", e);
        }
    }
}
