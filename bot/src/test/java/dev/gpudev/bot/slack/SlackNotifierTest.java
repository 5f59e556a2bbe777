package dev.gpudev.bot.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.port.DeliveryListener;
import dev.gpudev.scheduler.testing.Fixtures;

/** Delivery outcomes reach the listener, and the main message never goes back to an earlier state. */
class SlackNotifierTest {
    private final WireMockServer slackApi = new WireMockServer(options().dynamicPort());
    private final List<String> outcomes = new CopyOnWriteArrayList<>();
    private SlackNotifier notifier;

    private final Reservation starting = Fixtures.queued("h100-0a01", Fixtures.ANA, 1, Duration.ofHours(1), Fixtures.T0)
            .provisioning(List.of(new NodeName("h100-1")), Fixtures.T0);
    private final Reservation active = starting.active(new ServerAccess("h100-1", 22, "dev", null), Fixtures.T0);

    @BeforeEach
    void start() {
        slackApi.start();
        slackApi.stubFor(post("/api/auth.test").willReturn(okJson("{\"ok\":true,\"team_id\":\"T1\",\"user_id\":\"UBOT\"}")));
        slackApi.stubFor(post("/api/conversations.open").willReturn(okJson("{\"ok\":true,\"channel\":{\"id\":\"D0ANA\"}}")));
        slackApi.stubFor(post("/api/chat.postMessage").willReturn(okJson("{\"ok\":true,\"channel\":\"D0ANA\",\"ts\":\"1.1\"}")));
        slackApi.stubFor(post("/api/chat.update").willReturn(okJson("{\"ok\":true,\"channel\":\"D0ANA\",\"ts\":\"1.1\"}")));
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(slackApi.baseUrl() + "/api/");
        notifier = new SlackNotifier(Slack.getInstance(config).methods("xoxb-test"), 2, Duration.ofMillis(5));
        notifier.listen(new DeliveryListener() {
            @Override
            public void delivered(Notice notice, @Nullable String chatRef) {
                outcomes.add("delivered " + notice.getClass().getSimpleName() + " " + chatRef);
            }

            @Override
            public void undelivered(Notice notice) {
                outcomes.add("undelivered " + notice.getClass().getSimpleName());
            }
        });
    }

    @AfterEach
    void stop() {
        notifier.close();
        slackApi.stop();
    }

    private List<String> sent(String method) {
        return slackApi.findAll(postRequestedFor(urlEqualTo("/api/" + method))).stream()
                .map(r -> URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void aStartingStepReportedAfterReadyIsDroppedNotShownOverIt() throws Exception {
        notifier.notify(new Notice.Starting(starting));
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 1);
        notifier.notify(new Notice.Ready(active));
        notifier.notify(new Notice.Starting(starting.withDetail("pulling image")));
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() >= 2);
        await("nothing more").during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 2);
        assertThat(outcomes).containsExactly("delivered Starting D0ANA:1.1", "delivered Ready D0ANA:1.1");
        assertThat(sent("chat.update")).singleElement().satisfies(b -> assertThat(b).contains("is ready"));
    }

    @Test
    void aNoticeSlackKeepsRefusingIsReportedUndeliveredAfterTheAttempts() {
        slackApi.stubFor(post("/api/chat.postMessage").atPriority(1).willReturn(aResponse().withStatus(500)));
        notifier.notify(new Notice.Reminder(active, Duration.ofMinutes(30), false));
        await().atMost(Duration.ofSeconds(10)).until(() -> !outcomes.isEmpty());
        assertThat(outcomes).containsExactly("undelivered Reminder");
        assertThat(sent("chat.postMessage")).hasSize(2);
    }
}
