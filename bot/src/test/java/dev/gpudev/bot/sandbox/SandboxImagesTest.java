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
            h.reserve("reserve h100 1 1h --image evil/miner", "U0ANA");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.responses("U0ANA")).anyMatch(b -> b.contains(
                    "The image `evil/miner` is not allowed on this cluster. Allowed: `nvcr.io/nvidia/pytorch:25.01-py3` (the default: "
                            + "reserve without `--image`), any image under `ghcr.io/gpu-dev-sandbox/`.")));
            h.reserve("reserve h100 1 1h --image ghcr.io/gpu-dev-sandbox/dev:1", "U0BOB");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(String.join("\n", h.sent("chat.update"))
                    + String.join("\n", h.sent("chat.postMessage"))).contains("ssh dev@"));
        }
    }
}
