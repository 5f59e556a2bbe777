package dev.gpudev.bot.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.bot.Bot;
import dev.gpudev.bot.TestBots;
import dev.gpudev.bot.sandbox.SignedSlackClient;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;

/** The walking skeleton through the real signed route, with the Slack Web API served by WireMock. */
class SlackRouteTest {
    private final WireMockServer slackApi = new WireMockServer(options().dynamicPort());
    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private Bot bot;
    private SignedSlackClient slack;

    @BeforeEach
    void start() throws Exception {
        slackApi.start();
        slackApi.stubFor(post("/api/auth.test").willReturn(okJson("""
                {"ok":true,"url":"https://test.slack.com/","team":"test","user":"gpu-dev-bot","team_id":"T1","user_id":"UBOT","bot_id":"BBOT"}""")));
        slackApi.stubFor(post("/api/conversations.open").willReturn(okJson("""
                {"ok":true,"channel":{"id":"D0ANA"}}""")));
        slackApi.stubFor(post("/api/chat.postMessage").willReturn(okJson("""
                {"ok":true,"channel":"D0ANA","ts":"1700000000.000100"}""")));
        slackApi.stubFor(post("/api/chat.update").willReturn(okJson("""
                {"ok":true,"channel":"D0ANA","ts":"1700000000.000100"}""")));
        slackApi.stubFor(post(urlMatching("/response/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
        bot = TestBots.slack(slackApi.baseUrl() + "/api/", clock, Map.of());
        slack = new SignedSlackClient(bot.slackEndpoint(), TestBots.SECRET, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        bot.close();
        slackApi.stop();
    }

    private String command(String text, String user) {
        return SignedSlackClient.commandBody("/gpu", text, user, slackApi.baseUrl() + "/response/" + user);
    }

    private List<String> sent(String method) {
        return slackApi.findAll(postRequestedFor(urlEqualTo("/api/" + method))).stream()
                .map(r -> URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8)).toList();
    }

    private List<String> responses() {
        return slackApi.findAll(postRequestedFor(urlMatching("/response/.*"))).stream().map(r -> r.getBodyAsString()).toList();
    }

    @Test
    void aSignedReserveIsAckedThenDmsTheSshCommandThenTheExpiry() throws Exception {
        var ack = slack.post(command("reserve h100 4 2h", "U0ANA"));
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(text(ack.body())).contains("Reserving 4 × h100 for 2h");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(String.join("\n", sent("chat.update")))
                .contains("ssh dev@h100-sim-1.sandbox.gpu-dev.local").contains("Extend +1h"));
        assertThat(sent("conversations.open")).anyMatch(b -> b.contains("users=U0ANA"));
        Reservation r = bot.service().state().live().values().iterator().next();
        assertThat(r.state()).isEqualTo(ReservationState.ACTIVE);
        assertThat(r.endsAt()).isEqualTo(Fixtures.T0.plus(Duration.ofHours(2)));

        clock.advance(Duration.ofHours(2));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(String.join("\n", sent("chat.postMessage")))
                .contains(r.id() + " has ended"));
        assertThat(bot.service().state().live()).isEmpty();
    }

    @Test
    void unsignedWronglySignedAndStaleRequestsGet401AndCreateNothing() throws Exception {
        String body = command("reserve h100 1 1h", "U0ANA");
        assertThat(slack.postUnsigned(body).statusCode()).isEqualTo(401);
        long now = Instant.now().getEpochSecond();
        assertThat(slack.post(body, now, "not-the-secret").statusCode()).isEqualTo(401);
        assertThat(slack.post(body, now - Duration.ofMinutes(6).toSeconds(), TestBots.SECRET).statusCode()).isEqualTo(401);
        assertThat(bot.service().state().live()).isEmpty();
        assertThat(sent("conversations.open")).isEmpty();
        // the same body, correctly signed and fresh, does create one: the three above failed only on the signature
        assertThat(slack.post(body, now, TestBots.SECRET).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> bot.service().state().live().size() == 1);
    }

    @Test
    void aStrangerPressingCancelIsToldItIsNotTheirsAndNothingChanges() throws Exception {
        slack.post(command("reserve h100 1 1h", "U0ANA"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !bot.service().state().live().isEmpty());
        Reservation r = bot.service().state().live().values().iterator().next();

        var press = slack.post(SignedSlackClient.actionBody("cancel", r.id().value(), "U0BO", "D0ANA", "1700000000.000100",
                slackApi.baseUrl() + "/response/U0BO"));
        assertThat(press.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(responses()).anyMatch(b -> b.contains("is not yours")));
        assertThat(bot.service().state().find(r.id())).isPresent();

        slack.post(SignedSlackClient.actionBody("cancel", r.id().value(), "U0ANA", "D0ANA", "1700000000.000100",
                slackApi.baseUrl() + "/response/U0ANA"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(bot.service().state().find(r.id())).isEmpty());
    }

    @Test
    void anythingElseGetsHelpAsAnEphemeralReply() throws Exception {
        var ack = slack.post(command("frobnicate", "U0ANA"));
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(text(ack.body())).contains("I don't know `frobnicate`").contains("/gpu help");
        assertThat(text(slack.post(command("help", "U0ANA")).body())).contains("/gpu reserve h100 4 2h");
    }

    private static String text(String ackBody) {
        return JsonParser.parseString(ackBody).getAsJsonObject().get("text").getAsString();
    }
}
