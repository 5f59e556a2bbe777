package dev.gpudev.bot.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.SlackApiException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bot's Web API client answers as the SDK's does: parsed responses, Slack errors, and HTTP errors as exceptions. */
class SlackWebClientTest {
    private final WireMockServer api = new WireMockServer(options().dynamicPort());
    private SlackWebClient client;

    @BeforeEach
    void start() {
        api.start();
        SlackConfig config = new SlackConfig();
        config.setStatsEnabled(false);
        config.setMethodsEndpointUrlPrefix(api.baseUrl() + "/api/");
        client = new SlackWebClient(Slack.getInstance(config), "xoxb-test");
    }

    @AfterEach
    void stop() {
        api.stop();
    }

    @Test
    void parsesEveryResponseWithTheSameResultAsTheSdk() throws Exception {
        api.stubFor(post("/api/chat.postMessage").willReturn(okJson("""
                {"ok":true,"channel":"D0ANA","ts":"1700000000.000100","message":{"text":"hi","files":[{"id":"F1","name":"a.txt"}]}}""")
                .withHeader("X-Slack-Req-Id", "r1")));
        api.stubFor(post("/api/conversations.open").willReturn(okJson("""
                {"ok":true,"channel":{"id":"D0ANA"}}""")));
        for (int i = 0; i < 3; i++) {
            var posted = client.chatPostMessage(p -> p.channel("D0ANA").text("hi"));
            assertThat(posted.isOk()).isTrue();
            assertThat(posted.getTs()).isEqualTo("1700000000.000100");
            assertThat(posted.getMessage().getFiles().getFirst().getName()).isEqualTo("a.txt");
            assertThat(posted.getHttpResponseHeaders()).containsEntry("x-slack-req-id", List.of("r1"));
            assertThat(client.conversationsOpen(o -> o.users(List.of("U0ANA"))).getChannel().getId()).isEqualTo("D0ANA");
        }
        var expected = Slack.getInstance(sdkConfig()).methods("xoxb-test").chatPostMessage(p -> p.channel("D0ANA").text("hi"));
        assertThat(client.chatPostMessage(p -> p.channel("D0ANA").text("hi"))).usingRecursiveComparison().isEqualTo(expected);
    }

    @Test
    void aSlackErrorIsAnAnswerAndAnHttpErrorAnException() throws Exception {
        api.stubFor(post("/api/chat.update").willReturn(okJson("""
                {"ok":false,"error":"message_not_found"}""")));
        api.stubFor(post("/api/chat.postMessage").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3").withBody("")));
        var updated = client.chatUpdate(u -> u.channel("D0ANA").ts("1").text("x"));
        assertThat(updated.isOk()).isFalse();
        assertThat(updated.getError()).isEqualTo("message_not_found");
        SlackApiException limited = catchThrowableOfType(SlackApiException.class,
                () -> client.chatPostMessage(p -> p.channel("D0ANA").text("hi")));
        assertThat(limited.getResponse().code()).isEqualTo(429);
        assertThat(limited.getResponse().header("Retry-After")).isEqualTo("3");
    }

    private SlackConfig sdkConfig() {
        SlackConfig config = new SlackConfig();
        config.setStatsEnabled(false);
        config.setMethodsEndpointUrlPrefix(api.baseUrl() + "/api/");
        return config;
    }
}
