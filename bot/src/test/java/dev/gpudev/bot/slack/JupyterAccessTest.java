package dev.gpudev.bot.slack;

import static dev.gpudev.bot.slack.SlackHarness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;

/** Jupyter through the SSH connection, as the owner sees it over the signed route, and no token kept after the end. */
class JupyterAccessTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String TUNNEL = "ssh -L 8888:localhost:8888 dev@h100-sim-1.sandbox.gpu-dev.local";

    @Test
    void theReadyMessageAndShowGiveTheSshForwardAndTheEndedReservationKeepsNoToken() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            h.command("reserve h100 1 1h --jupyter", "U0ANA");
            await().atMost(WAIT).until(() -> !h.bot.service().state().live().isEmpty() && h.only().state() == ReservationState.ACTIVE);
            Reservation r = h.only();
            await().atMost(WAIT).untilAsserted(() -> assertThat(String.join("\n", h.sent("chat.update")) + String.join("\n", h.sent("chat.postMessage")))
                    .contains("Jupyter, through SSH: ```" + TUNNEL + "``` then ")
                    .contains("http://localhost:8888/lab?token"));
            assertThat(text(h.command("show " + r.id().value(), "U0ANA").body())).contains(TUNNEL);
            assertThat(text(h.command("show " + r.id().value(), "U0BO").body())).doesNotContain("token=").doesNotContain("ssh -L");

            h.clock.advance(Duration.ofHours(1));
            await().atMost(WAIT).until(() -> h.bot.service().state().live().isEmpty());

            Reservation ended = h.bot.service().history(new UserId("U0ANA"), 10).getFirst();
            assertThat(ended.state()).isEqualTo(ReservationState.ENDED);
            assertThat(ended.access()).isNotNull();
            assertThat(ended.access().jupyterUrl()).isNull();
            assertThat(ended.toString()).doesNotContain("token=");
        }
    }
}
