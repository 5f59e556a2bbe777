package dev.gpudev.bot.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.adapters.aws.Dynalite;
import dev.gpudev.bot.Bot;
import dev.gpudev.bot.TestBots;
import dev.gpudev.bot.conversation.NotifyViews;
import dev.gpudev.bot.sandbox.SignedSlackClient;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;

/**
 * {@code /gpu notify} across a restart of the bot on DynamoDB (dynalite): a waiting subscription is still there, and one
 * that fired while Slack refused its DM is sent by the next bot, once, with a button that still works.
 */
class NotifyRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern ID = Pattern.compile("n-[0-9a-f]{8}");
    private final Map<String, String> config = new HashMap<>();

    @BeforeEach
    void dynamo() {
        String tables = "notify-" + System.nanoTime();
        config.putAll(Map.of("store.kind", "dynamodb", "store.dynamodb.endpoint", Dynalite.endpoint().toString(),
                "store.dynamodb.region", "us-east-1", "store.dynamodb.reservations-table", tables + "-reservations",
                "store.dynamodb.links-table", tables + "-links", "store.dynamodb.create-tables", "true",
                "slack.delivery.attempts", "2", "slack.delivery.backoff", "PT0.01S"));
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
    }

    @AfterEach
    void clear() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private static List<Reservation> of(Bot bot, String user) {
        return bot.service().state().live().values().stream().filter(r -> r.owner().value().equals(user)).toList();
    }

    /** Calls to chat.postMessage carrying {@code text}: answered 200 (delivered) or not. */
    private static long posts(SlackHarness h, String text, boolean delivered) {
        return h.slackApi.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals("/api/chat.postMessage") && (e.getResponse().getStatus() == 200) == delivered)
                .map(ServeEvent::getRequest)
                .filter(r -> URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8).contains(text))
                .count();
    }

    private static void twoFullNodes(SlackHarness h) throws Exception {
        h.command("reserve h100 8 1h", "U0ANA");
        h.command("reserve h100 8 1h", "U0ANA");
        await().atMost(WAIT).until(() -> of(h.bot, "U0ANA").size() == 2
                && of(h.bot, "U0ANA").stream().allMatch(r -> r.state() == ReservationState.ACTIVE));
    }

    @Test
    void aWaitingSubscriptionIsStillThereAfterARestart() throws Exception {
        try (SlackHarness h = new SlackHarness(config)) {
            twoFullNodes(h);
            h.command("notify h100 8 1h", "U0BOB");
            await().atMost(WAIT).until(() -> h.responses("U0BOB").stream().anyMatch(b -> ID.matcher(b).find()));
            Matcher id = ID.matcher(h.responses("U0BOB").getFirst());
            assertThat(id.find()).isTrue();
            h.bot.close();

            try (Bot again = TestBots.slack(h.slackApi.baseUrl() + "/api/", h.clock, config)) {
                SignedSlackClient slack = new SignedSlackClient(again.slackEndpoint(), TestBots.SECRET, Clock.systemUTC());
                await().atMost(WAIT).untilAsserted(() -> assertThat(slack.post(SignedSlackClient.commandBody("/gpu",
                        "notify list", "U0BOB", h.slackApi.baseUrl() + "/response/U0BOB")).body()).contains(id.group()));
            }
        }
    }

    @Test
    void aDmThatFiredButWasNeverSentIsSentOnceByTheNextBotAndItsButtonWorks() throws Exception {
        try (SlackHarness h = new SlackHarness(config)) {
            twoFullNodes(h);
            h.command("notify h100 8 2h", "U0BOB");
            await().atMost(WAIT).until(() -> h.responses("U0BOB").stream().anyMatch(b -> ID.matcher(b).find()));
            List<StubMapping> down = Stream.of("chat.postMessage", "chat.update").map(m -> h.slackApi.stubFor(post("/api/" + m).atPriority(1)
                    .willReturn(aResponse().withStatus(500).withBody("{\"ok\":false,\"error\":\"internal_error\"}")))).toList();

            h.press("cancel_confirmed", of(h.bot, "U0ANA").getFirst().id().value(), "U0ANA");
            await("fired; its DM refused").atMost(WAIT).until(() -> posts(h, "can start now", false) >= 1);
            h.bot.close();
            AtomicLong attempts = new AtomicLong(-1);
            await("the stopped bot's last calls have landed").pollInterval(Duration.ofMillis(150)).atMost(WAIT)
                    .until(() -> attempts.getAndSet(posts(h, "can start now", false)) == attempts.get());
            down.forEach(h.slackApi::removeStub);

            try (Bot again = TestBots.slack(h.slackApi.baseUrl() + "/api/", h.clock, config)) {
                await().atMost(WAIT).until(() -> posts(h, "can start now", true) == 1);
                await("still one").during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> posts(h, "can start now", true) == 1);
                String dm = h.sent("chat.postMessage").stream().filter(b -> b.contains("can start now")).toList().getLast();
                Matcher id = ID.matcher(dm);
                assertThat(id.find()).isTrue();

                SignedSlackClient slack = new SignedSlackClient(again.slackEndpoint(), TestBots.SECRET, Clock.systemUTC());
                slack.post(SignedSlackClient.actionBody(NotifyViews.RESERVE, id.group(), "U0BOB", "D0ANA", "1700000000.000900",
                        h.slackApi.baseUrl() + "/response/U0BOB"));
                await().atMost(WAIT).until(() -> of(again, "U0BOB").size() == 1);
                assertThat(of(again, "U0BOB").getFirst().duration()).isEqualTo(Duration.ofHours(2));
            }
        }
    }
}
