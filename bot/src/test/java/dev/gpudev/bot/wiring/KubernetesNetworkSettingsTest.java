package dev.gpudev.bot.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import dev.gpudev.adapters.kubernetes.ServerNetwork;

class KubernetesNetworkSettingsTest {
    static Config config(Map<String, String> keys) {
        return Config.just(ConfigSources.create(keys));
    }

    @Test
    void theNetworkKeysReachTheAdapter() {
        var s = KubernetesWiring.settings(config(Map.of("jupyter-exposed", "true", "peer-policy", "false", "peer-ports", "40000-41000")));

        assertThat(s.network()).isEqualTo(new ServerNetwork(true, false, 40000, 41000));
        assertThat(KubernetesWiring.settings(config(Map.of())).network()).isEqualTo(ServerNetwork.DEFAULTS);
    }

    @Test
    void aBadPortRangeNamesItsKey() {
        assertThatThrownBy(() -> KubernetesWiring.settings(config(Map.of("peer-ports", "ephemeral"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster.kubernetes.peer-ports");
    }
}
