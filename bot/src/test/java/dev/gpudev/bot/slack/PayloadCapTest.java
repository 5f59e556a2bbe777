package dev.gpudev.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gpudev.bot.Bot;
import dev.gpudev.bot.TestBots;
import dev.gpudev.bot.sandbox.SandboxSlack;
import dev.gpudev.bot.sandbox.SignedSlackClient;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;

/**
 * {@code server.max-payload-size} over the real socket: a body past the cap gets 413 on every route, declared
 * (answered before a byte of it is sent) or chunked (answered while it is still streaming), and the bot keeps serving.
 */
class PayloadCapTest {
    private static final int CAP = 64 * 1024;
    private static final long BIG = 4L * 1024 * 1024;
    private static final String[] SIGNED = {"X-Slack-Signature: v0=" + "0".repeat(64),
            "X-Slack-Request-Timestamp: " + Instant.now().getEpochSecond()};
    private static final Map<String, String> CAPPED = Map.of("server.max-payload-size", Integer.toString(CAP));

    @Test
    void anOversizedBodyToTheSlackRouteGets413AndASignedRequestStillWorks() throws Exception {
        try (SlackHarness h = new SlackHarness(CAPPED)) {
            int port = h.bot.port();
            assertThat(RawHttp.declaredOnly(port, "POST", "/slack/events", BIG)).isEqualTo(413);
            assertThat(RawHttp.declaredOnly(port, "POST", "/slack/events", BIG, SIGNED)).isEqualTo(413);
            // Signature headers (a wrong signature: it cannot be checked before the body is read) make the route read.
            assertThat(RawHttp.chunked(port, "POST", "/slack/events", BIG, SIGNED)).isEqualTo(413);
            assertThat(RawHttp.chunked(port, "POST", "/slack/events", BIG)).as("unsigned: refused unread").isEqualTo(401);

            var ack = h.command("reserve h100 1 1h", "U0ANA");
            assertThat(ack.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> h.bot.service().state().live().size() == 1);
        }
    }

    @Test
    void anUnsignedRequestIsRefusedWithoutReadingItsBody() throws Exception {
        try (SlackHarness h = new SlackHarness(CAPPED)) {
            assertThat(RawHttp.declaredOnly(h.bot.port(), "POST", "/slack/events", CAP / 2)).isEqualTo(401);
            assertThat(h.command("reserve h100 1 1h", "U0ANA").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void everyOtherRouteOfTheSandboxIsCappedToo() throws Exception {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (Bot bot = Bot.start(TestBots.config(CAPPED), Map.of(), new MutableClock(Fixtures.T0), out)) {
            int port = bot.port();
            for (String path : new String[] {SandboxSlack.PATH + "/api/chat.postMessage", SandboxSlack.PATH + "/response/D1"}) {
                assertThat(RawHttp.declaredOnly(port, "POST", path, BIG)).as(path + " declared").isEqualTo(413);
                assertThat(RawHttp.chunked(port, "POST", path, BIG)).as(path + " chunked").isEqualTo(413);
            }
            // Routes that never read a body: a declared one is refused at once; a chunked one is answered unread.
            for (String path : new String[] {"/observe/health", "/observe/metrics", "/no/such/route"}) {
                assertThat(RawHttp.declaredOnly(port, "POST", path, BIG)).as(path + " declared").isEqualTo(413);
                assertThat(RawHttp.chunked(port, "POST", path, BIG)).as(path + " chunked").isBetween(400, 499);
            }
            // A body under the cap is served as before.
            SignedSlackClient slack = new SignedSlackClient(bot.slackEndpoint(), bot.signingSecret(), Clock.systemUTC());
            var ack = slack.post(SignedSlackClient.commandBody("/gpu", "reserve h100 1 1h", Bot.SANDBOX_USER,
                    "http://127.0.0.1:" + port + SandboxSlack.PATH + "/response/" + Bot.SANDBOX_USER));
            assertThat(ack.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> bot.service().state().live().size() == 1);
        }
    }

    @Test
    void theDefaultCapIsAFewHundredKibibytes() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            assertThat(RawHttp.declaredOnly(h.bot.port(), "POST", "/slack/events", BIG)).isEqualTo(413);
            assertThat(RawHttp.declaredOnly(h.bot.port(), "POST", "/slack/events", 300L * 1024 * 1024)).isEqualTo(413);
        }
    }
}
