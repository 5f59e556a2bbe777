package dev.gpudev.bot.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.slack.api.app_backend.SlackSignature;

/**
 * Sends what Slack sends: slash commands and button presses, form-encoded and signed with the signing secret
 * ({@code v0:timestamp:body}, HMAC-SHA256). The sandbox console, the tests and the latency benchmark use it.
 */
public final class SignedSlackClient {
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI endpoint;
    private final String secret;
    private final Clock clock;

    public SignedSlackClient(URI endpoint, String secret, Clock clock) {
        this.endpoint = endpoint;
        this.secret = secret;
        this.clock = clock;
    }

    /** A slash command as Slack posts it; {@code responseUrl} is where follow-ups go. */
    public static String commandBody(String command, String text, String userId, String responseUrl) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", "deprecated-verification-token");
        form.put("team_id", "TSANDBOX");
        form.put("team_domain", "sandbox");
        form.put("channel_id", "C0SANDBOX");
        form.put("channel_name", "gpu");
        form.put("user_id", userId);
        form.put("user_name", userId.toLowerCase(Locale.ROOT));
        form.put("command", command);
        form.put("text", text);
        form.put("api_app_id", "A0GPUDEV");
        form.put("response_url", responseUrl);
        form.put("trigger_id", UUID.randomUUID().toString());
        return encode(form);
    }

    /** A {@code block_actions} payload for one button press. */
    public static String actionBody(String actionId, String value, String userId, String channel, String messageTs, String responseUrl) {
        JsonObject action = new JsonObject();
        action.addProperty("type", "button");
        action.addProperty("action_id", actionId);
        action.addProperty("block_id", "b");
        action.addProperty("value", value);
        action.addProperty("action_ts", String.valueOf(System.nanoTime()));
        JsonArray actions = new JsonArray();
        actions.add(action);
        JsonObject user = new JsonObject();
        user.addProperty("id", userId);
        user.addProperty("username", userId.toLowerCase(Locale.ROOT));
        user.addProperty("team_id", "TSANDBOX");
        JsonObject team = new JsonObject();
        team.addProperty("id", "TSANDBOX");
        JsonObject ch = new JsonObject();
        ch.addProperty("id", channel);
        JsonObject container = new JsonObject();
        container.addProperty("type", "message");
        container.addProperty("message_ts", messageTs);
        container.addProperty("channel_id", channel);
        JsonObject payload = new JsonObject();
        payload.addProperty("type", "block_actions");
        payload.add("user", user);
        payload.add("team", team);
        payload.add("channel", ch);
        payload.add("container", container);
        payload.addProperty("api_app_id", "A0GPUDEV");
        payload.addProperty("trigger_id", UUID.randomUUID().toString());
        payload.addProperty("response_url", responseUrl);
        payload.add("actions", actions);
        return encode(Map.of("payload", payload.toString()));
    }

    /** A {@code view_submission} of the reserve form with the given input values (block id -> value). */
    public static String viewSubmissionBody(String callbackId, String userId, Map<String, JsonObject> values) {
        JsonObject state = new JsonObject();
        JsonObject byBlock = new JsonObject();
        values.forEach((block, value) -> {
            JsonObject inner = new JsonObject();
            inner.add(block, value);
            byBlock.add(block, inner);
        });
        state.add("values", byBlock);
        JsonObject view = new JsonObject();
        view.addProperty("id", "V" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT));
        view.addProperty("type", "modal");
        view.addProperty("callback_id", callbackId);
        view.add("state", state);
        JsonObject user = new JsonObject();
        user.addProperty("id", userId);
        JsonObject team = new JsonObject();
        team.addProperty("id", "TSANDBOX");
        JsonObject payload = new JsonObject();
        payload.addProperty("type", "view_submission");
        payload.add("team", team);
        payload.add("user", user);
        payload.add("view", view);
        payload.addProperty("api_app_id", "A0GPUDEV");
        return encode(Map.of("payload", payload.toString()));
    }

    /** An Events API callback, e.g. {@code app_home_opened}. */
    public static String eventBody(JsonObject event) {
        JsonObject body = new JsonObject();
        body.addProperty("token", "deprecated");
        body.addProperty("team_id", "TSANDBOX");
        body.addProperty("api_app_id", "A0GPUDEV");
        body.addProperty("type", "event_callback");
        body.addProperty("event_id", "Ev" + UUID.randomUUID().toString().substring(0, 8));
        body.addProperty("event_time", System.currentTimeMillis() / 1000);
        body.add("event", event);
        return body.toString();
    }

    public HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return post(body, clock.instant().getEpochSecond(), secret);
    }

    /** Posts with a chosen timestamp and secret, so tests can send stale or wrongly signed requests. */
    public HttpResponse<String> post(String body, long timestamp, String signingSecret) throws IOException, InterruptedException {
        String ts = String.valueOf(timestamp);
        String signature = new SlackSignature.Generator(signingSecret).generate(ts, body);
        return http.send(HttpRequest.newBuilder(endpoint)
                .header("Content-Type", body.startsWith("{") ? "application/json" : "application/x-www-form-urlencoded")
                .header(SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP, ts)
                .header(SlackSignature.HeaderNames.X_SLACK_SIGNATURE, signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postUnsigned(String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
