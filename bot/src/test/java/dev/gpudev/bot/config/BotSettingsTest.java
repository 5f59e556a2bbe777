package dev.gpudev.bot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.policy.Limits;

/** Each part reads its own subtree; the defaults are the embedded application.yaml's (or the domain's), nowhere else. */
class BotSettingsTest {
    private static Config over(Map<String, String> keys) {
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.create(keys))
                .addSource(ConfigSources.classpath(BotConfig.EMBEDDED))
                .build();
    }

    record Override(String key, String value, Function<BotSettings, Object> read, Object expected) {
    }

    static final List<Named<Override>> OVERRIDES = List.of(
            Named.of("server.port", new Override("server.port", "9090", s -> s.server().port(), 9090)),
            Named.of("server.host", new Override("server.host", "127.0.0.1", s -> s.server().host(), "127.0.0.1")),
            Named.of("server.max-payload-size", new Override("server.max-payload-size", "65536", s -> s.server().maxPayloadSize(), 65536L)),
            Named.of("slack.path", new Override("slack.path", "/hooks/slack", s -> s.slack().path(), "/hooks/slack")),
            Named.of("slack.command", new Override("slack.command", "/gpu-dev", s -> s.slack().command(), "/gpu-dev")),
            Named.of("slack.api-url", new Override("slack.api-url", "http://127.0.0.1:1/api/", s -> s.slack().apiUrl(), Optional.of("http://127.0.0.1:1/api/"))),
            Named.of("slack.queue-channel", new Override("slack.queue-channel", "C0QUEUE", s -> s.slack().queueChannel(), Optional.of("C0QUEUE"))),
            Named.of("slack.admins (comma-separated)", new Override("slack.admins", "U1, U2", s -> s.slack().admins(), List.of("U1", "U2"))),
            Named.of("slack.status-min-interval", new Override("slack.status-min-interval", "PT9S", s -> s.slack().statusMinInterval(), Duration.ofSeconds(9))),
            Named.of("slack.delivery.attempts", new Override("slack.delivery.attempts", "2", s -> s.slack().delivery().attempts(), 2)),
            Named.of("slack.delivery.backoff", new Override("slack.delivery.backoff", "PT1S", s -> s.slack().delivery().backoff(), Duration.ofSeconds(1))),
            Named.of("cluster.kind", new Override("cluster.kind", "kubernetes", s -> s.cluster().kind(), "kubernetes")),
            Named.of("cluster.reconcile-interval", new Override("cluster.reconcile-interval", "PT1M", s -> s.cluster().reconcileInterval(), Duration.ofMinutes(1))),
            Named.of("cluster.sync-timeout", new Override("cluster.sync-timeout", "PT2M", s -> s.cluster().syncTimeout(), Duration.ofMinutes(2))),
            Named.of("cluster.simulated.ready-delay", new Override("cluster.simulated.ready-delay", "PT0S", s -> s.simulated().readyDelay(), Duration.ZERO)),
            Named.of("cluster.simulated.image", new Override("cluster.simulated.image", "ubuntu:22.04", s -> s.simulated().image(), "ubuntu:22.04")),
            Named.of("leader-election.lease-name", new Override("leader-election.lease-name", "bot-b", s -> s.leaderElection().leaseName(), "bot-b")),
            Named.of("leader-election.lease-duration", new Override("leader-election.lease-duration", "PT30S", s -> s.leaderElection().leaseDuration(), Duration.ofSeconds(30))),
            Named.of("leader-election.namespace", new Override("leader-election.namespace", "ops", s -> s.leaderElection().namespace(), Optional.of("ops"))),
            Named.of("runtime.max-tick", new Override("runtime.max-tick", "PT0.05S", s -> s.runtime().maxTick(), Duration.ofMillis(50))),
            Named.of("sandbox.time-scale", new Override("sandbox.time-scale", "60", s -> s.sandbox().timeScale(), 60.0)),
            Named.of("sandbox.console", new Override("sandbox.console", "false", s -> s.sandbox().console(), false)),
            Named.of("store.kind", new Override("store.kind", "dynamodb", BotSettings::storeKind, "dynamodb")));

    @ParameterizedTest
    @FieldSource("OVERRIDES")
    void eachKeyReachesItsPartAndChangesNothingElse(Override o) {
        BotSettings defaults = BotSettings.create(BotConfig.embedded());
        BotSettings changed = BotSettings.create(over(Map.of(o.key(), o.value())));

        assertThat(o.read().apply(changed)).isEqualTo(o.expected());
        assertThat(o.read().apply(defaults)).as("the default differs from the test's value").isNotEqualTo(o.expected());
        assertThat(changed).usingRecursiveComparison().ignoringFields(fieldOf(o.key())).isEqualTo(defaults);
    }

    /** The record component an override changes: {@code slack.delivery.backoff} is {@code slack.delivery.backoff}. */
    private static String fieldOf(String key) {
        String path = key.replace("leader-election", "leaderElection").replace("cluster.simulated", "simulated").replace("store.kind", "storeKind");
        StringBuilder field = new StringBuilder();
        for (String part : path.split("\\.")) {
            String[] words = part.split("-");
            StringBuilder camel = new StringBuilder(words[0]);
            for (int i = 1; i < words.length; i++) {
                camel.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
            }
            field.append(field.isEmpty() ? "" : ".").append(camel);
        }
        return field.toString();
    }

    @Test
    void theEmbeddedFileLeavesTheSchedulersDefaultsAlone() {
        BotSettings defaults = BotSettings.create(BotConfig.embedded());

        assertThat(defaults.limits()).isEqualTo(Limits.defaults());
        assertThat(defaults.catalog()).isEqualTo(GpuCatalog.defaults());
    }

    @Test
    void aLimitsKeyReplacesThatOneBound() {
        Limits limits = BotSettings.create(over(Map.of("limits.max-gpus-per-user", "32", "limits.reminders", "PT10M"))).limits();
        Limits d = Limits.defaults();

        assertThat(limits).isEqualTo(new Limits(d.minDuration(), d.maxDuration(), d.maxExtension(), d.maxTotal(), d.queueTimeout(),
                List.of(Duration.ofMinutes(10)), 32, d.maxNodesPerRequest(), d.fairShare(), d.provisionTimeout()));
    }

    @Test
    void aSettingWithoutItsDefaultNamesTheKey() {
        Config withoutTheFile = Config.just(ConfigSources.create(Map.of("runtime.other", "x")));

        assertThatThrownBy(() -> RuntimeSettings.create(withoutTheFile.get("runtime")))
                .hasMessageContaining("runtime.max-tick");
    }

    @Test
    void aBadValueIsRefusedWithWhatWouldWork() {
        assertThatThrownBy(() -> BotSettings.create(over(Map.of("server.max-payload-size", "0"))))
                .hasMessageContaining("server.max-payload-size must be a positive number of bytes, not 0");
        assertThatThrownBy(() -> BotSettings.create(over(Map.of("sandbox.time-scale", "0"))))
                .hasMessageContaining("sandbox.time-scale must be positive");
        assertThatThrownBy(() -> BotSettings.create(over(Map.of("server.port", "eighty")))).hasMessageContaining("server.port");
    }
}
