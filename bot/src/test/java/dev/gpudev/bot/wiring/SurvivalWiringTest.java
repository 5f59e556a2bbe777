package dev.gpudev.bot.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import org.junit.jupiter.api.Test;

import dev.gpudev.bot.TestBots;
import dev.gpudev.bot.config.BotSettings;
import dev.gpudev.bot.conversation.Survival;

/** What the last reminder says is kept follows the cluster's storage keys, so it is never more than the cluster keeps. */
class SurvivalWiringTest {
    static Survival survival(Map<String, String> keys) {
        Map<String, String> all = new HashMap<>(keys);
        all.put("cluster.kind", "kubernetes");
        Config config = TestBots.config(all);
        return Wiring.survival(BotSettings.create(config), config.get("cluster.kubernetes"));
    }

    @Test
    void theHomeByDefaultSharedOnlyWithAnEfsClaimAndNothingWithoutAHomeClass() {
        assertThat(survival(Map.of())).isEqualTo(new Survival("/home/dev", List.of()));
        assertThat(survival(Map.of("cluster.kubernetes.efs-claim", "gpu-dev-shared", "cluster.kubernetes.ssh-user", "ubuntu")))
                .isEqualTo(new Survival("/home/ubuntu", List.of("/shared")));
        assertThat(survival(Map.of("cluster.kubernetes.home-storage-class", ""))).isEqualTo(new Survival(null, List.of()));
    }
}
