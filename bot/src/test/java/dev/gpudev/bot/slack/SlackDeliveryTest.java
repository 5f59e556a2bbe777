package dev.gpudev.bot.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import org.junit.jupiter.api.Test;

import dev.gpudev.adapters.aws.Dynalite;
import dev.gpudev.bot.Bot;
import dev.gpudev.bot.TestBots;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;

/**
 * The Ready DM is delivered at least once through a Slack outage and a restart of the bot, through the signed route
 * and a Slack Web API (WireMock) that fails: the notifier gives up after its retries, a later tick issues it again.
 */
class SlackDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Two tries 10 and 20 ms apart: the notifier gives up within a tick or two. */
    private static final Map<String, String> IMPATIENT = Map.of("slack.delivery.attempts", "2", "slack.delivery.backoff", "PT0.01S");

    private static List<StubMapping> slackDown(SlackHarness h) {
        return Stream.of("chat.postMessage", "chat.update").map(m -> h.slackApi.stubFor(post("/api/" + m).atPriority(1)
                .willReturn(aResponse().withStatus(500).withBody("{\"ok\":false,\"error\":\"internal_error\"}")))).toList();
    }

    /** Calls to chat.postMessage carrying {@code text}: answered 200 (delivered) or not (attempts). */
    private static long posts(SlackHarness h, String text, boolean delivered) {
        return h.slackApi.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals("/api/chat.postMessage") && (e.getResponse().getStatus() == 200) == delivered)
                .map(ServeEvent::getRequest)
                .filter(r -> URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8).contains(text))
                .count();
    }

    private static Reservation only(Bot bot) {
        return bot.service().state().live().values().iterator().next();
    }

    @Test
    void aReadyDmLostToASlackOutageIsDeliveredOnceSlackRecoversAndOnlyOnce() throws Exception {
        try (SlackHarness h = new SlackHarness(IMPATIENT)) {
            List<StubMapping> down = slackDown(h);
            h.command("reserve h100 1 1h", "U0ANA");
            await().atMost(WAIT).until(() -> !h.bot.service().state().live().isEmpty() && h.only().state() == ReservationState.ACTIVE);
            await("given up and issued again, more than once").atMost(WAIT).until(() -> posts(h, "is ready", false) >= 6);
            assertThat(posts(h, "is ready", true)).isZero();
            assertThat(h.only().shown()).isNull();

            down.forEach(h.slackApi::removeStub);
            await().atMost(WAIT).until(() -> posts(h, "is ready", true) == 1);
            await().atMost(WAIT).until(() -> h.only().shown() == ReservationState.ACTIVE);
            assertThat(h.only().chatRef()).isEqualTo("D0ANA:1700000000.000100");
            await("still one, ten ticks later").during(Duration.ofMillis(500)).atMost(WAIT).until(() -> posts(h, "is ready", true) == 1);
            assertThat(h.sent("chat.update")).as("nothing older shown over it").isEmpty();
        }
    }

    @Test
    void aRestartedBotDeliversTheReadyDmItsPredecessorNeverSent() throws Exception {
        Map<String, String> config = new HashMap<>(IMPATIENT);
        String tables = "delivery-" + System.nanoTime();
        config.putAll(Map.of("store.kind", "dynamodb", "store.dynamodb.endpoint", Dynalite.endpoint().toString(),
                "store.dynamodb.region", "us-east-1", "store.dynamodb.reservations-table", tables + "-reservations",
                "store.dynamodb.links-table", tables + "-links", "store.dynamodb.create-tables", "true"));
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        try (SlackHarness h = new SlackHarness(config)) {
            List<StubMapping> down = slackDown(h);
            h.command("reserve h100 1 1h", "U0ANA");
            await().atMost(WAIT).until(() -> !h.bot.service().state().live().isEmpty() && h.only().state() == ReservationState.ACTIVE);
            await().atMost(WAIT).until(() -> posts(h, "is ready", false) >= 2);
            h.bot.close();
            AtomicLong attempts = new AtomicLong(-1);
            await("the stopped bot's last calls have landed").pollInterval(Duration.ofMillis(150)).atMost(WAIT)
                    .until(() -> attempts.getAndSet(posts(h, "is ready", false)) == attempts.get());
            down.forEach(h.slackApi::removeStub);
            await("the bot that was stopped sends nothing").during(Duration.ofMillis(300)).atMost(WAIT)
                    .until(() -> posts(h, "is ready", false) + posts(h, "is ready", true) == attempts.get());

            try (Bot again = TestBots.slack(h.slackApi.baseUrl() + "/api/", h.clock, config)) {
                await().atMost(WAIT).until(() -> posts(h, "is ready", true) == 1);
                await().atMost(WAIT).until(() -> only(again).shown() == ReservationState.ACTIVE);
                await("still one").during(Duration.ofMillis(500)).atMost(WAIT).until(() -> posts(h, "is ready", true) == 1);
            }
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }
}
