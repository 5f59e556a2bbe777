package dev.gpudev.bot.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.jspecify.annotations.Nullable;

import dev.gpudev.bot.Bot;
import dev.gpudev.bot.TestBots;
import dev.gpudev.bot.sandbox.SignedSlackClient;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;

/** A bot behind its real signed route, a Slack Web API served by WireMock, and a clock the test moves. */
final class SlackHarness implements AutoCloseable {
    final WireMockServer slackApi = new WireMockServer(options().dynamicPort());
    final MutableClock clock = new MutableClock(Fixtures.T0);
    final Bot bot;
    final SignedSlackClient slack;

    SlackHarness(Map<String, String> config) throws Exception {
        this(config, null);
    }

    /** @param socketUrl in Socket Mode, the WebSocket URL {@code apps.connections.open} hands out; null: HTTP mode */
    SlackHarness(Map<String, String> config, @Nullable String socketUrl) throws Exception {
        slackApi.start();
        if (socketUrl != null) {
            slackApi.stubFor(post("/api/apps.connections.open").willReturn(okJson("{\"ok\":true,\"url\":\"" + socketUrl + "\"}")));
        }
        slackApi.stubFor(post("/api/auth.test").willReturn(okJson("""
                {"ok":true,"url":"https://test.slack.com/","team":"test","user":"gpu-dev-bot","team_id":"T1","user_id":"UBOT","bot_id":"BBOT"}""")));
        slackApi.stubFor(post("/api/conversations.open").willReturn(okJson("""
                {"ok":true,"channel":{"id":"D0ANA"}}""")));
        slackApi.stubFor(post("/api/chat.postMessage").willReturn(okJson("""
                {"ok":true,"channel":"D0ANA","ts":"1700000000.000100"}""")));
        slackApi.stubFor(post("/api/chat.update").willReturn(okJson("""
                {"ok":true,"channel":"D0ANA","ts":"1700000000.000100"}""")));
        slackApi.stubFor(post("/api/views.open").willReturn(okJson("""
                {"ok":true,"view":{"id":"V1"}}""")));
        slackApi.stubFor(post("/api/views.publish").willReturn(okJson("""
                {"ok":true,"view":{"id":"V2"}}""")));
        slackApi.stubFor(post(urlMatching("/response/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
        Map<String, String> cfg = new HashMap<>(config);
        if (socketUrl != null) {
            cfg.put("slack.mode", "socket");
        }
        Map<String, String> env = new HashMap<>();
        if (socketUrl != null) {
            // As the chart gives it in Socket Mode: the app token, and no signing secret.
            env.put("SLACK_APP_TOKEN", "xapp-1-A1-test");
            env.put("SLACK_SIGNING_SECRET", null);
        }
        bot = TestBots.slack(slackApi.baseUrl() + "/api/", clock, cfg, env);
        slack = new SignedSlackClient(bot.slackEndpoint(), TestBots.SECRET, Clock.systemUTC());
    }

    HttpResponse<String> command(String text, String user) throws Exception {
        return slack.post(SignedSlackClient.commandBody("/gpu", text, user, slackApi.baseUrl() + "/response/" + user));
    }

    HttpResponse<String> press(String actionId, String value, String user) throws Exception {
        return press(actionId, value, user, "1700000000.000100");
    }

    /** A press of a button on the message {@code messageTs} of the DM; each call is a new click (its own action ts). */
    HttpResponse<String> press(String actionId, String value, String user, String messageTs) throws Exception {
        return slack.post(SignedSlackClient.actionBody(actionId, value, user, "D0ANA", messageTs,
                slackApi.baseUrl() + "/response/" + user));
    }

    /** Decoded form bodies of the calls to one Web API method, in order. */
    List<String> sent(String method) {
        return slackApi.findAll(postRequestedFor(urlEqualTo("/api/" + method))).stream()
                .map(r -> URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8)).toList();
    }

    List<String> responses(String user) {
        return slackApi.findAll(postRequestedFor(urlEqualTo("/response/" + user))).stream().map(r -> r.getBodyAsString()).toList();
    }

    Reservation only() {
        return bot.service().state().live().values().iterator().next();
    }

    /** A form input's state as Slack submits it: a chosen option of a static select. */
    static JsonObject selected(String value) {
        JsonObject option = new JsonObject();
        option.addProperty("value", value);
        JsonObject v = new JsonObject();
        v.addProperty("type", "static_select");
        v.add("selected_option", option);
        return v;
    }

    /** ... and the text of a plain-text input. */
    static JsonObject typed(String value) {
        JsonObject v = new JsonObject();
        v.addProperty("type", "plain_text_input");
        v.addProperty("value", value);
        return v;
    }

    static String text(String ackBody) {
        return JsonParser.parseString(ackBody).getAsJsonObject().get("text").getAsString();
    }

    @Override
    public void close() {
        bot.close();
        slackApi.stop();
    }
}
