package dev.gpudev.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gpudev.bot.config.BotConfig;
import dev.gpudev.bot.config.Mode;
import dev.gpudev.bot.config.ServerSettings;

/**
 * Each Slack mode as the chart renders it, checked by the bot's own start-up decision ({@link Mode}): the bot reads
 * the rendered ConfigMap over its embedded defaults, and the environment holds every variable the Deployment sets
 * (a Secret's key counts as set: an empty or missing one is the operator's to fix, and the bot names it).
 */
class ChartModeTest {

    record Setup(Map<String, Object> values, Mode.Transport transport) {
    }

    static Stream<Named<Setup>> modes() {
        return Stream.of(
                Named.of("http (default)", new Setup(Map.of(), Mode.Transport.HTTP)),
                Named.of("socket", new Setup(Map.of("config.slack.mode", "socket"), Mode.Transport.SOCKET)),
                Named.of("socket with GitHub", new Setup(Map.of("config.slack.mode", "socket", "secrets.github.name", "gh",
                        "config.github.enabled", true), Mode.Transport.SOCKET)),
                Named.of("one replica, http", new Setup(Map.of("replicaCount", 1), Mode.Transport.HTTP)));
    }

    @ParameterizedTest
    @MethodSource("modes")
    void theRenderedDeploymentStartsTheBotInProduction(Setup setup) {
        Rendered rendered = Chart.render(setup.values());
        Map<String, String> env = env(rendered);

        Mode mode = Mode.resolve(config(rendered), env);

        assertThat(mode).as("the bot's start-up check on the rendered env %s", env.keySet())
                .isEqualTo(new Mode.Production(Optional.of(setup.transport()), false));
        assertThat(env).containsKeys(setup.transport().requiredEnv().toArray(String[]::new));
    }

    @Test
    void theRequestBodyCapIsSetThroughTheChartsConfig() {
        assertThat(maxPayloadSize(config(Chart.render()))).isEqualTo(maxPayloadSize(BotConfig.embedded()));
        assertThat(maxPayloadSize(config(Chart.render(Map.of("config.server.max-payload-size", 65536))))).isEqualTo(65536);
    }

    /** What the pod's environment holds: plain values as given, each Secret reference as a non-empty stand-in. */
    private static Map<String, String> env(Rendered rendered) {
        List<EnvVar> vars = rendered.only(Deployment.class).getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv();
        Map<String, String> env = new HashMap<>();
        for (EnvVar v : vars) {
            env.put(v.getName(), v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null
                    ? "from-secret-" + v.getValueFrom().getSecretKeyRef().getKey() : v.getValue() == null ? "from-field" : v.getValue());
        }
        return env;
    }

    private static long maxPayloadSize(Config config) {
        return ServerSettings.create(config.get("server")).maxPayloadSize();
    }

    /** As {@code BotConfig.load()} reads it in the pod: the mounted file over the defaults embedded in the image. */
    private static Config config(Rendered rendered) {
        String yaml = rendered.only(ConfigMap.class).getData().get("application.yaml");
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.create(yaml, MediaTypes.APPLICATION_YAML))
                .addSource(ConfigSources.classpath("application.yaml"))
                .build();
    }
}
