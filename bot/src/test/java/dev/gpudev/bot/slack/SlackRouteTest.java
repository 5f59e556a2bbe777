package dev.gpudev.bot.slack;

import static dev.gpudev.bot.slack.SlackHarness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.bot.TestBots;
import dev.gpudev.bot.sandbox.SignedSlackClient;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.testing.Fixtures;

/** The walking skeleton through the real signed route, with the Slack Web API served by WireMock. */
class SlackRouteTest {
    private SlackHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new SlackHarness(Map.of());
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void aSignedReserveIsAckedThenDmsTheSshCommandThenTheExpiry() throws Exception {
        var ack = h.command("reserve h100 4 2h", "U0ANA");
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(text(ack.body())).contains("Reserving 4 × h100 for 2h");

        // The ready message updates the "starting" DM, or is the first DM when it overtook a "starting" not yet sent.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(String.join("\n", h.sent("chat.update"))
                + String.join("\n", h.sent("chat.postMessage"))).contains("ssh dev@h100-sim-1.sandbox.gpu-dev.local").contains("Extend +1h"));
        assertThat(h.sent("conversations.open")).anyMatch(b -> b.contains("users=U0ANA"));
        Reservation r = h.only();
        assertThat(r.state()).isEqualTo(ReservationState.ACTIVE);
        assertThat(r.endsAt()).isEqualTo(Fixtures.T0.plus(Duration.ofHours(2)));

        h.clock.advance(Duration.ofHours(2));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(String.join("\n", h.sent("chat.postMessage")))
                .contains(r.id() + " has ended"));
        assertThat(h.bot.service().state().live()).isEmpty();
    }

    @Test
    void unsignedWronglySignedAndStaleRequestsGet401AndCreateNothing() throws Exception {
        String body = SignedSlackClient.commandBody("/gpu", "reserve h100 1 1h", "U0ANA", h.slackApi.baseUrl() + "/response/U0ANA");
        long now = Instant.now().getEpochSecond();
        assertThat(h.slack.postUnsigned(body).statusCode()).isEqualTo(401);
        assertThat(h.slack.post(body, now, "not-the-secret").statusCode()).isEqualTo(401);
        assertThat(h.slack.post(body, now - Duration.ofMinutes(6).toSeconds(), TestBots.SECRET).statusCode()).isEqualTo(401);
        assertThat(h.bot.service().state().live()).isEmpty();
        assertThat(h.sent("conversations.open")).isEmpty();
        // the same body, signed and fresh, does create one: the three above failed only on the signature
        assertThat(h.slack.post(body, now, TestBots.SECRET).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> h.bot.service().state().live().size() == 1);
    }

    @Test
    void aStrangerPressingCancelIsToldItIsNotTheirsAndNothingChanges() throws Exception {
        h.command("reserve h100 1 1h", "U0ANA");
        await().atMost(Duration.ofSeconds(10)).until(() -> !h.bot.service().state().live().isEmpty());
        Reservation r = h.only();

        assertThat(h.press("cancel", r.id().value(), "U0BO").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(h.responses("U0BO")).anyMatch(b -> b.contains("is not yours")));
        assertThat(h.bot.service().state().find(r.id())).isPresent();

        h.press("cancel", r.id().value(), "U0ANA");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(h.bot.service().state().find(r.id())).isEmpty());
    }

    @Test
    void anythingElseGetsHelpAsAnEphemeralReply() throws Exception {
        var ack = h.command("frobnicate", "U0ANA");
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(text(ack.body())).contains("I don't know `frobnicate`").contains("/gpu help");
        assertThat(text(h.command("help", "U0ANA").body())).contains("/gpu reserve h100 4 2h");
    }
}
