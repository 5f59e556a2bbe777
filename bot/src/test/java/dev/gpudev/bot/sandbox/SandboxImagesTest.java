package dev.gpudev.bot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gpudev.bot.slack.SlackHarnessAccess;

/** The simulated cluster keeps the same image allow-list as a real one ({@code cluster.simulated.images}). */
class SandboxImagesTest {
    @Test
    void anImageOffTheListIsRefusedWithTheListAndAnAllowedOneStarts() throws Exception {
        try (var h = SlackHarnessAccess.start(Map.of())) {
            // refused in the ack itself, with the allowed images: nothing is promised that cannot start
            assertThat(h.ack("reserve h100 1 1h --image evil/miner", "U0ANA")).contains(
                    "The image `evil/miner` is not allowed on this cluster. Allowed: `nvcr.io/nvidia/pytorch:25.01-py3` (the default: "
                            + "reserve without `--image`), any image under `ghcr.io/gpu-dev-sandbox/`.").doesNotContain("Reserving");
            h.reserve("reserve h100 1 1h --image ghcr.io/gpu-dev-sandbox/dev:1", "U0BOB");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(String.join("\n", h.sent("chat.update"))
                    + String.join("\n", h.sent("chat.postMessage"))).contains("ssh dev@"));
        }
    }
}
