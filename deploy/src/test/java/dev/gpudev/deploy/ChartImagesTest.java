package dev.gpudev.deploy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The image allow-list set in values reaches the bot's application.yaml next to the namespace the chart owns. */
class ChartImagesTest {
    @Test
    void theAllowListPassesThroughToTheBotConfig() {
        Map<String, Object> config = Chart.render(Map.of("config.cluster.kubernetes.images[0]", "ghcr.io/acme/",
                "config.cluster.kubernetes.images[1]", "ubuntu:22.04")).botConfig();
        @SuppressWarnings("unchecked")
        Map<String, Object> kubernetes = (Map<String, Object>) ((Map<String, Object>) config.get("cluster")).get("kubernetes");
        assertThat(kubernetes).containsEntry("images", List.of("ghcr.io/acme/", "ubuntu:22.04")).containsKey("namespace");
    }
}
