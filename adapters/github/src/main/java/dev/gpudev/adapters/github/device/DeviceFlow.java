package dev.gpudev.adapters.github.device;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.gpudev.adapters.github.account.GithubAccount;
import dev.gpudev.adapters.github.api.ApiResponse;
import dev.gpudev.adapters.github.api.GithubApi;
import dev.gpudev.adapters.github.api.GithubUnavailableException;
import dev.gpudev.scheduler.model.UserId;

/**
 * GitHub's OAuth device flow (RFC 8628 as GitHub documents it): request a device and user code, poll for the token at
 * the given interval (longer after {@code slow_down}), read {@code /user} with it once, and report the account (id and login).
 * The access token lives only in a local variable of one poll: it is never stored and never logged.
 * A new flow for the same user replaces the old one.
 */
public final class DeviceFlow {
    private static final System.Logger LOG = System.getLogger(DeviceFlow.class.getName());
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);
    private static final int MAX_FAILURES = 3;

    private final HttpClient http;
    private final URI oauthUrl;
    private final String clientId;
    private final Duration timeout;
    private final GithubApi api;
    private final Poller poller;
    private final Clock clock;
    private final BiConsumer<UserId, GithubAccount> onProof;
    private final Map<UserId, Flow> flows = new ConcurrentHashMap<>();

    /** One user's flow; {@code interval} and {@code failures} change only on the poller's (sequential) tasks. */
    private static final class Flow {
        final UserId user;
        final String deviceCode;
        final Instant expiresAt;
        final DeviceLinkListener listener;
        volatile Duration interval;
        volatile int failures;

        Flow(UserId user, String deviceCode, Instant expiresAt, Duration interval, DeviceLinkListener listener) {
            this.user = user;
            this.deviceCode = deviceCode;
            this.expiresAt = expiresAt;
            this.interval = interval;
            this.listener = listener;
        }
    }

    /** {@code onProof} stores the link; it runs before the listener hears {@link LinkResult.Linked}. */
    public DeviceFlow(HttpClient http, URI oauthUrl, String clientId, Duration timeout, GithubApi api, Poller poller, Clock clock,
                      BiConsumer<UserId, GithubAccount> onProof) {
        this.http = http;
        this.oauthUrl = URI.create(oauthUrl.toString().replaceAll("/+$", ""));
        this.clientId = clientId;
        this.timeout = timeout;
        this.api = api;
        this.poller = poller;
        this.clock = clock;
        this.onProof = onProof;
    }

    /** Asks GitHub for a user code (one blocking request) and starts polling; the outcome goes to {@code listener}. */
    public DeviceStart start(UserId user, DeviceLinkListener listener) {
        if (clientId.isEmpty()) {
            return new DeviceStart.NotConfigured("Linking by yourself is not set up here: ask an admin to run `/gpu admin link @you <github-login>`.");
        }
        JsonNode json;
        try {
            json = post("/login/device/code", Map.of("client_id", clientId));
        } catch (GithubUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "device code request failed: " + e.getMessage());
            return new DeviceStart.Failed("GitHub is unreachable — try again in a minute");
        }
        String deviceCode = json.path("device_code").asString("");
        String userCode = json.path("user_code").asString("");
        String uri = json.path("verification_uri").asString("");
        if (deviceCode.isEmpty() || userCode.isEmpty() || uri.isEmpty()) {
            String error = json.path("error").asString("no device code");
            LOG.log(System.Logger.Level.WARNING, "GitHub refused the device code request: " + error);
            return new DeviceStart.Failed("GitHub refused to start linking (" + error + "): tell an admin");
        }
        Instant expiresAt = clock.instant().plusSeconds(json.path("expires_in").asLong(900));
        Flow flow = new Flow(user, deviceCode, expiresAt, Duration.ofSeconds(Math.max(1, json.path("interval").asLong(5))), listener);
        flows.put(user, flow);
        poller.schedule(flow.interval, () -> poll(flow));
        return new DeviceStart.Started(uri, userCode, expiresAt);
    }

    private void poll(Flow flow) {
        if (flows.get(flow.user) != flow) {
            return;
        }
        if (!clock.instant().isBefore(flow.expiresAt)) {
            finish(flow, new LinkResult.Expired("The code expired before it was entered: run `/gpu link` again."));
            return;
        }
        JsonNode json;
        try {
            json = post("/login/oauth/access_token", Map.of("client_id", clientId, "device_code", flow.deviceCode, "grant_type", GRANT));
        } catch (GithubUnavailableException e) {
            retryOrFail(flow, e);
            return;
        }
        String token = json.path("access_token").asString("");
        if (!token.isEmpty()) {
            linkWith(flow, token);
            return;
        }
        String error = json.path("error").asString("");
        switch (error) {
            case "authorization_pending" -> again(flow);
            case "slow_down" -> {
                long asked = json.path("interval").asLong(0);
                flow.interval = asked > 0 ? Duration.ofSeconds(asked) : flow.interval.plus(SLOW_DOWN_STEP);
                again(flow);
            }
            case "expired_token" -> finish(flow, new LinkResult.Expired("The code expired before it was entered: run `/gpu link` again."));
            case "access_denied" -> finish(flow, new LinkResult.Denied("You cancelled the authorization on GitHub; nothing was linked."));
            default -> {
                LOG.log(System.Logger.Level.WARNING, "device flow ended by GitHub: " + (error.isEmpty() ? "no token and no error" : error));
                finish(flow, new LinkResult.Failed("GitHub refused the link (" + (error.isEmpty() ? "no token" : error) + "): tell an admin."));
            }
        }
    }

    private void linkWith(Flow flow, String token) {
        GithubAccount account;
        try {
            ApiResponse me = api.getWithToken("/user", token);
            if (me.status() != 200) {
                throw new GithubUnavailableException("GET /user answered " + me.status());
            }
            account = GithubAccount.of(GithubApi.json(me));
        } catch (GithubUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "reading /user after the device flow failed: " + e.getMessage());
            finish(flow, new LinkResult.Failed("GitHub authorized you, but reading your account failed: run `/gpu link` again."));
            return;
        }
        try {
            onProof.accept(flow.user, account);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "storing the link of " + flow.user + " failed", e);
            finish(flow, new LinkResult.Failed("Your GitHub account " + account.login() + " could not be saved: try `/gpu link` again in a minute."));
            return;
        }
        finish(flow, new LinkResult.Linked(account.login()));
    }

    private void retryOrFail(Flow flow, GithubUnavailableException e) {
        flow.failures++;
        LOG.log(System.Logger.Level.WARNING, "device flow poll failed (" + flow.failures + "/" + MAX_FAILURES + "): " + e.getMessage());
        if (flow.failures >= MAX_FAILURES) {
            finish(flow, new LinkResult.Failed("GitHub is unreachable — run `/gpu link` again in a minute."));
        } else {
            poller.schedule(flow.interval, () -> poll(flow));
        }
    }

    private void again(Flow flow) {
        flow.failures = 0;
        poller.schedule(flow.interval, () -> poll(flow));
    }

    private void finish(Flow flow, LinkResult result) {
        if (!flows.remove(flow.user, flow)) {
            return;
        }
        try {
            flow.listener.finished(flow.user, result);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "device link listener failed for " + flow.user, e);
        }
    }

    /** GitHub answers these with 200 and an {@code error} field for the flow's states; only transport trouble throws. */
    private JsonNode post(String path, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest req = HttpRequest.newBuilder(URI.create(oauthUrl + path)).timeout(timeout)
                .header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("User-Agent", "gpu-dev-bot")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new GithubUnavailableException("GitHub unreachable: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GithubUnavailableException("interrupted", e);
        }
        if (res.statusCode() >= 500 || res.statusCode() == 429) {
            throw new GithubUnavailableException("GitHub answered " + res.statusCode() + " to POST " + path);
        }
        try {
            return JSON.readTree(res.body());
        } catch (JacksonException e) {
            throw new GithubUnavailableException("GitHub answered " + res.statusCode() + " to POST " + path + " without JSON");
        }
    }
}
