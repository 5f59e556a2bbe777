package dev.gpudev.bot.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Which mode a config and an environment start, or why they do not start; over the embedded defaults. */
class ModeTest {
    private static final String TOKEN = "SLACK_BOT_TOKEN";
    private static final String SECRET = "SLACK_SIGNING_SECRET";
    private static final String APP = "SLACK_APP_TOKEN";
    private static final String DISCORD = "DISCORD_BOT_TOKEN";
    private static final String GUILD = "DISCORD_GUILD_ID";
    private static final String GUILD_ID = "123456789012345678";

    /** @param expected {@code sandbox}, {@code production http|socket|-}{@code [ + discord]}, or {@code refused: <every part of the reason>} */
    record Case(String name, Map<String, String> config, Map<String, String> env, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Case> CASES = List.of(
            new Case("nothing configured: the README's sandbox", Map.of(), Map.of(), "sandbox"),
            new Case("the sandbox takes SLACK_SIGNING_SECRET", Map.of(), Map.of(SECRET, "s3cret"), "sandbox"),
            new Case("an empty Secret in a real deployment", Map.of("cluster.kind", "kubernetes", "store.kind", "dynamodb"),
                    Map.of(TOKEN, "", SECRET, ""),
                    "refused: SLACK_BOT_TOKEN is empty but cluster.kind is kubernetes and store.kind is dynamodb | SLACK_SIGNING_SECRET is empty"),
            new Case("an empty token alone is not the sandbox", Map.of(), Map.of(TOKEN, "", SECRET, "s3cret"),
                    "refused: SLACK_BOT_TOKEN is empty; set SLACK_BOT_TOKEN"),
            new Case("DynamoDB without Slack", Map.of("store.kind", "dynamodb"), Map.of(),
                    "refused: SLACK_BOT_TOKEN is not set but store.kind is dynamodb"),
            new Case("GitHub without Slack", Map.of("github.enabled", "true"), Map.of(),
                    "refused: SLACK_BOT_TOKEN is not set but github.enabled is true"),
            new Case("leader election without Slack", Map.of("leader-election.enabled", "true"), Map.of(),
                    "refused: SLACK_BOT_TOKEN is not set but leader-election.enabled is true"),
            new Case("HTTP with token and secret", Map.of("cluster.kind", "kubernetes"), Map.of(TOKEN, "xoxb-1", SECRET, "s3cret"),
                    "production http"),
            new Case("HTTP without the secret", Map.of(), Map.of(TOKEN, "xoxb-1"),
                    "refused: SLACK_SIGNING_SECRET is empty but slack.mode is http"),
            new Case("socket with the app token and no secret", Map.of("slack.mode", "socket"), Map.of(TOKEN, "xoxb-1", APP, "xapp-1"),
                    "production socket"),
            new Case("socket without the app token", Map.of("slack.mode", "socket"), Map.of(TOKEN, "xoxb-1", SECRET, "s3cret"),
                    "refused: SLACK_APP_TOKEN is empty but slack.mode is socket"),
            new Case("socket with nothing names both tokens", Map.of("slack.mode", "socket"), Map.of(),
                    "refused: SLACK_BOT_TOKEN is not set but slack.mode is socket | SLACK_APP_TOKEN is empty"),
            new Case("an unknown slack.mode", Map.of("slack.mode", "carrier-pigeon"), Map.of(TOKEN, "xoxb-1"),
                    "refused: slack.mode 'carrier-pigeon' is not known; use http or socket"),
            new Case("the sandbox identity with GitHub configured", Map.of("identity.kind", "sandbox", "github.enabled", "true"),
                    Map.of(TOKEN, "xoxb-1", SECRET, "s3cret"), "refused: identity.kind is sandbox"),
            new Case("the sandbox identity without GitHub (tests, local use)", Map.of("identity.kind", "sandbox"),
                    Map.of(TOKEN, "xoxb-1", SECRET, "s3cret"), "production http"),
            new Case("asked for the sandbox", Map.of(), Map.of("GPU_DEV_MODE", "sandbox"), "sandbox"),
            new Case("asked for the sandbox in the config", Map.of("mode", "sandbox", "store.kind", "dynamodb"), Map.of(), "sandbox"),
            new Case("asked for the sandbox on a real cluster", Map.of("cluster.kind", "kubernetes"), Map.of("GPU_DEV_MODE", "sandbox"),
                    "refused: GPU_DEV_MODE is sandbox but cluster.kind is kubernetes"),
            new Case("asked for the sandbox with GitHub", Map.of("github.enabled", "true"), Map.of("GPU_DEV_MODE", "sandbox"),
                    "refused: GPU_DEV_MODE is sandbox but github.enabled is true"),
            new Case("asked for the sandbox with a Slack token", Map.of(), Map.of("GPU_DEV_MODE", "sandbox", TOKEN, "xoxb-1"),
                    "refused: GPU_DEV_MODE is sandbox but SLACK_BOT_TOKEN is set"),
            new Case("asked for the sandbox in Socket Mode", Map.of("slack.mode", "socket"), Map.of("GPU_DEV_MODE", "sandbox"),
                    "refused: GPU_DEV_MODE is sandbox but slack.mode is socket"),
            new Case("asked for production with nothing set", Map.of(), Map.of("GPU_DEV_MODE", "production"),
                    "refused: SLACK_BOT_TOKEN is not set but GPU_DEV_MODE is production"),
            new Case("the environment wins over the config", Map.of("mode", "sandbox"),
                    Map.of("GPU_DEV_MODE", "production", TOKEN, "xoxb-1", SECRET, "s3cret"), "production http"),
            new Case("an unknown mode", Map.of(), Map.of("GPU_DEV_MODE", "staging"), "refused: GPU_DEV_MODE (or mode) 'staging' is not known"),
            new Case("Discord alone", Map.of("discord.guild-id", GUILD_ID), Map.of(DISCORD, "discord-token"), "production - + discord"),
            new Case("Discord alone, the guild from the environment", Map.of(), Map.of(DISCORD, "discord-token", GUILD, GUILD_ID),
                    "production - + discord"),
            new Case("Discord and Slack in one bot", Map.of("discord.guild-id", GUILD_ID),
                    Map.of(DISCORD, "discord-token", TOKEN, "xoxb-1", SECRET, "s3cret"), "production http + discord"),
            new Case("Discord and Slack over a socket", Map.of("discord.guild-id", GUILD_ID, "slack.mode", "socket"),
                    Map.of(DISCORD, "discord-token", TOKEN, "xoxb-1", APP, "xapp-1"), "production socket + discord"),
            new Case("a Discord token without a guild", Map.of(), Map.of(DISCORD, "discord-token"),
                    "refused: discord.guild-id (or DISCORD_GUILD_ID) is not set but DISCORD_BOT_TOKEN is"),
            new Case("a guild without a Discord token", Map.of("discord.guild-id", GUILD_ID), Map.of(),
                    "refused: DISCORD_BOT_TOKEN is not set but discord.guild-id is set"),
            new Case("an empty Discord token", Map.of("discord.guild-id", GUILD_ID), Map.of(DISCORD, ""),
                    "refused: DISCORD_BOT_TOKEN is empty"),
            new Case("a guild that is not an id", Map.of("discord.guild-id", "my-server"), Map.of(DISCORD, "discord-token"),
                    "refused: discord.guild-id 'my-server' is not a Discord id"),
            new Case("a status channel that is not an id", Map.of("discord.guild-id", GUILD_ID, "discord.status-channel", "#gpus"),
                    Map.of(DISCORD, "discord-token"), "refused: discord.status-channel '#gpus' is not a Discord channel id"),
            new Case("Discord complete, Slack half-configured", Map.of("discord.guild-id", GUILD_ID),
                    Map.of(DISCORD, "discord-token", TOKEN, "xoxb-1"), "refused: SLACK_SIGNING_SECRET is empty but slack.mode is http"),
            new Case("Slack complete, Discord half-configured", Map.of(),
                    Map.of(DISCORD, "discord-token", TOKEN, "xoxb-1", SECRET, "s3cret"), "refused: discord.guild-id (or DISCORD_GUILD_ID) is not set"),
            new Case("nothing set names Discord as the other way", Map.of("store.kind", "dynamodb"), Map.of(),
                    "refused: SLACK_BOT_TOKEN is not set but store.kind is dynamodb | or DISCORD_BOT_TOKEN and discord.guild-id for Discord"),
            new Case("asked for the sandbox with a Discord token", Map.of(), Map.of("GPU_DEV_MODE", "sandbox", DISCORD, "discord-token"),
                    "refused: GPU_DEV_MODE is sandbox but DISCORD_BOT_TOKEN is set"));

    @ParameterizedTest(name = "{0}")
    @FieldSource("CASES")
    void decides(Case c) {
        Config config = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.create(c.config()))
                .addSource(ConfigSources.classpath("application.yaml"))
                .build();
        Mode mode = Mode.resolve(config, c.env());
        String shown = switch (mode) {
            case Mode.Sandbox s -> "sandbox";
            case Mode.Production p -> "production " + p.slack().map(Mode.Transport::key).orElse("-") + (p.discord() ? " + discord" : "");
            case Mode.Refused r -> "refused: " + r.reason();
        };
        if (c.expected().startsWith("refused: ")) {
            assertThat(shown).startsWith("refused: ");
            for (String part : c.expected().substring("refused: ".length()).split(" \\| ")) {
                assertThat(shown).contains(part);
            }
        } else {
            assertThat(shown).isEqualTo(c.expected());
        }
    }
}
