package dev.gpudev.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;
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

    static final String GUILD = "123456789012345678";

    /** A values file, as an operator writes it: Discord ids quoted (the schema refuses numbers, which YAML would round). */
    static Stream<Named<String>> discord() {
        return Stream.of(
                Named.of("Discord alone", """
                        secrets: {slack: {name: ""}, discord: {name: gpu-dev-bot-discord}}
                        config: {discord: {guild-id: "%s"}}
                        """.formatted(GUILD)),
                Named.of("Discord beside Slack (http)", """
                        secrets: {discord: {name: gpu-dev-bot-discord}}
                        config: {discord: {guild-id: "%s", status-channel: "876543210987654321", admins: ["223456789012345678"]}}
                        """.formatted(GUILD)),
                Named.of("Discord beside Slack (socket)", """
                        secrets: {discord: {name: gpu-dev-bot-discord}}
                        config: {slack: {mode: socket}, discord: {guild-id: "%s"}}
                        """.formatted(GUILD)));
    }

    @ParameterizedTest
    @MethodSource("discord")
    void discordIsOnWhenItsSecretIsNamed(String values, @TempDir Path dir) throws IOException {
        Rendered rendered = renderWith(values, dir);
        Map<String, String> env = env(rendered);
        Optional<Mode.Transport> slack = values.contains("slack: {name: \"\"}") ? Optional.empty()
                : Optional.of(values.contains("mode: socket") ? Mode.Transport.SOCKET : Mode.Transport.HTTP);

        Mode mode = Mode.resolve(config(rendered), env);

        assertThat(mode).as("the bot's start-up check on the rendered env %s", env.keySet()).isEqualTo(new Mode.Production(slack, true));
        assertThat(env).containsKey(Mode.DISCORD_TOKEN);
        assertThat(config(rendered).get("discord.guild-id").asString().get()).isEqualTo(GUILD);
        if (slack.isEmpty()) {
            assertThat(env).doesNotContainKeys(Mode.BOT_TOKEN, Mode.SIGNING_SECRET, Mode.APP_TOKEN);
        }
    }

    @Test
    void anUnquotedDiscordIdIsRefusedByTheSchema(@TempDir Path dir) {
        assertThatThrownBy(() -> renderWith("secrets: {discord: {name: d}}\nconfig: {discord: {guild-id: " + GUILD + "}}\n", dir))
                .hasMessageContaining("config.discord.guild-id");
    }

    private static Rendered renderWith(String values, Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("values.yaml"), values);
        return new Rendered(Chart.parse(Chart.helm().template().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE)
                .withValuesFile(file).call()));
    }

    @Test
    void theDiscordTokenKeyIsOptionalAndNotThereBeforeItsSecretIsNamed() {
        assertThat(env(Chart.render())).doesNotContainKey(Mode.DISCORD_TOKEN);
        EnvVar token = Chart.render(Map.of("secrets.discord.name", "gpu-dev-bot-discord"))
                .only(Deployment.class).getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .filter(v -> v.getName().equals(Mode.DISCORD_TOKEN)).findFirst().orElseThrow();
        assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("gpu-dev-bot-discord");
        assertThat(token.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("DISCORD_BOT_TOKEN");
        assertThat(token.getValueFrom().getSecretKeyRef().getOptional()).isTrue();
    }

    @Test
    void neitherSlackNorDiscordIsRefusedByTheChart() {
        assertThatThrownBy(() -> Chart.render(Map.of("secrets.slack.name", "")))
                .hasMessageContaining("secrets.slack.name and secrets.discord.name are both empty");
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
