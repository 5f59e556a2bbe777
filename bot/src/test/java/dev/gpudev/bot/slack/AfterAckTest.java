package dev.gpudev.bot.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The work after an ack has a bounded pool of its own: when it is full, a request is refused in its ack, at once, and
 * nothing of it happens later (before, every request got a virtual thread of its own, however many piled up).
 */
class AfterAckTest {
    @Test
    void whenTheWorkAfterAcksIsFullTheAckSaysSoAndNothingIsReserved() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of("slack.after-ack.threads", "1", "slack.after-ack.queue", "1"))) {
            // Each answer to U0SLOW waits in Slack for 3 s: the first holds the one thread, the second the one queue place.
            h.slackApi.stubFor(post(urlEqualTo("/response/U0SLOW")).willReturn(aResponse().withStatus(200).withBody("ok").withFixedDelay(3000)));
            assertThat(h.command("whoami", "U0SLOW").statusCode()).isEqualTo(200);
            assertThat(h.command("whoami", "U0SLOW").statusCode()).isEqualTo(200);

            var ack = h.command("reserve h100 1 2h", "U0ANA");

            assertThat(ack.statusCode()).isEqualTo(200);
            assertThat(SlackHarness.text(ack.body())).isEqualTo(SlackBot.BUSY);
            await().atMost(Duration.ofSeconds(20)).until(() -> h.responses("U0SLOW").size() == 2);
            assertThat(h.bot.service().state().live()).as("the refused request never runs").isEmpty();

            assertThat(SlackHarness.text(h.command("reserve h100 1 2h", "U0ANA").body())).startsWith(":hourglass: Reserving");
            await().atMost(Duration.ofSeconds(20)).until(() -> h.bot.service().state().live().size() == 1);
        }
    }
}
