package dev.gpudev.bot.slack;

import static dev.gpudev.bot.slack.SlackHarness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.ReservationState;

/** {@code /gpu edit --jupyter on|off} on a running server, over the signed route, with the sandbox's cluster. */
class EditJupyterTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TUNNEL = "ssh -L 8888:localhost:8888 dev@h100-sim-1.sandbox.gpu-dev.local";

    private static String answer(SlackHarness h, String command, String user) throws Exception {
        int before = h.responses(user).size();
        h.command(command, user);
        await().atMost(WAIT).until(() -> h.responses(user).size() > before);
        return h.responses(user).getLast();
    }

    private static String dms(SlackHarness h) {
        return String.join("\n", h.sent("chat.update")) + String.join("\n", h.sent("chat.postMessage"));
    }

    @Test
    void theOwnerTurnsJupyterOnAndOffOnARunningServerAndTheMessageShowAndLogsFollow() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            h.command("reserve h100 1 1h --name exp", "U0ANA");
            await().atMost(WAIT).until(() -> !h.bot.service().state().live().isEmpty() && h.only().state() == ReservationState.ACTIVE);
            String id = h.only().id().value();
            assertThat(text(h.command("show exp", "U0ANA").body())).doesNotContain("ssh -L");

            assertThat(answer(h, "edit " + id + " --jupyter on", "U0BO")).contains("not yours");
            assertThat(h.only().options().jupyter()).isFalse();

            assertThat(answer(h, "edit exp --jupyter on", "U0ANA")).contains("Jupyter is on in " + id).contains("no restart")
                    .doesNotContain("token=");
            assertThat(h.only().options().jupyter()).isTrue();
            assertThat(h.only().access().jupyterUrl()).startsWith("http://localhost:8888/lab?token=");
            assertThat(text(h.command("show exp", "U0ANA").body())).contains(TUNNEL);
            assertThat(text(h.command("show " + id, "U0BO").body())).doesNotContain("token=");
            await().atMost(WAIT).untilAsserted(() -> assertThat(dms(h)).contains("Jupyter, through SSH: ```" + TUNNEL + "```"));
            assertThat(answer(h, "logs exp", "U0ANA")).contains("gpu-dev: jupyter started on port 8888");

            assertThat(answer(h, "edit exp --jupyter on", "U0ANA")).as("again").contains("Jupyter is on in " + id);
            long version = h.only().version();
            assertThat(text(answer(h, "logs exp", "U0ANA"))).containsOnlyOnce("jupyter started");

            assertThat(answer(h, "edit exp --jupyter off", "U0ANA")).contains("Jupyter is off in " + id);
            assertThat(h.only().options().jupyter()).isFalse();
            assertThat(h.only().access().jupyterUrl()).isNull();
            assertThat(h.only().version()).isGreaterThan(version);
            assertThat(text(h.command("show exp", "U0ANA").body())).doesNotContain("ssh -L").doesNotContain("token=");
            assertThat(answer(h, "logs exp", "U0ANA")).contains("gpu-dev: jupyter stopped");
        }
    }
}
