package dev.gpudev.bot.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import dev.gpudev.adapters.kubernetes.StorageSettings;
import dev.gpudev.scheduler.port.VolumeQuota;

class KubernetesStorageSettingsTest {
    static Config config(Map<String, String> keys) {
        return Config.just(ConfigSources.create(keys));
    }

    @Test
    void homesAreOnByDefaultAndTheStorageKeysReachTheAdapter() {
        var s = KubernetesWiring.settings(config(Map.of("storage.snapshot-class", "ebs-snaps", "storage.max-disks", "5",
                "storage.max-total-gib", "4096", "storage.keep-snapshots", "7", "storage.team-folder", "ml")));

        assertThat(s.storage()).isEqualTo(new StorageSettings("ebs-snaps", new VolumeQuota(5, 4096, 1024, 7, 5), true, "ml"));
        var defaults = KubernetesWiring.settings(config(Map.of()));
        assertThat(defaults.storage()).isEqualTo(StorageSettings.DEFAULTS);
        assertThat(defaults.homeStorageClass()).isEqualTo("gpu-dev-home");
        assertThat(KubernetesWiring.settings(config(Map.of("home-storage-class", ""))).homeStorageClass()).isEmpty();
    }

    @Test
    void aBadQuotaSaysWhatWouldWork() {
        assertThatThrownBy(() -> KubernetesWiring.settings(config(Map.of("storage.keep-snapshots", "0"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keep-snapshots must be at least 1");
    }
}
