package dev.gpudev.bot.discord;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.helidon.config.Config;

import dev.gpudev.bot.config.BotConfig;
import dev.gpudev.bot.config.Mode;
import dev.gpudev.scheduler.model.UserId;

/**
 * The {@code discord} config subtree and the token. {@link Mode} has already refused a half-configured Discord, so
 * the ids here parse.
 *
 * @param deliveryAttempts tries per DM (waits {@code deliveryBackoff × 2ⁿ}) before it is left to the next tick
 * @param statusChannel  the channel holding the live queue-status message; 0 for none
 * @param admins         Discord users allowed to use {@code /gpu admin} and act on any reservation (namespaced)
 * @param apiUrl         Discord's REST base, {@code …/api/v10/}; tests point it at a fake Discord
 * @param gatewayUrl     the gateway WebSocket; empty: the one Discord names at login (tests: a fake gateway, no compression)
 */
public record DiscordSettings(String token, long guild, long statusChannel, Set<UserId> admins, Duration statusMinInterval,
                              String command, int deliveryAttempts, Duration deliveryBackoff, String apiUrl, String gatewayUrl) {
    public static final String DEFAULT_API = "https://discord.com/api/v10/";

    public DiscordSettings {
        admins = Set.copyOf(admins);
    }

    public static DiscordSettings of(Config discord, Map<String, String> env) {
        String guild = env.getOrDefault(Mode.DISCORD_GUILD, "").isBlank()
                ? discord.get("guild-id").asString().orElse("") : env.get(Mode.DISCORD_GUILD);
        String channel = discord.get("status-channel").asString().orElse("").strip();
        return new DiscordSettings(env.getOrDefault(Mode.DISCORD_TOKEN, ""), Long.parseUnsignedLong(guild.strip()),
                channel.isEmpty() ? 0 : Long.parseUnsignedLong(channel),
                BotConfig.strings(discord.get("admins")).stream().map(DiscordSettings::admin).collect(Collectors.toSet()),
                discord.get("status-min-interval").as(Duration.class).orElse(Duration.ofSeconds(5)),
                discord.get("command").asString().orElse("gpu"),
                discord.get("delivery.attempts").asInt().orElse(6),
                discord.get("delivery.backoff").as(Duration.class).orElse(Duration.ofMillis(250)),
                discord.get("api-url").asString().filter(s -> !s.isBlank()).orElse(DEFAULT_API),
                discord.get("gateway-url").asString().orElse(""));
    }

    /** Never the token: a settings record ends up in logs and exceptions. */
    @Override
    public String toString() {
        return "DiscordSettings[token=" + (token.isEmpty() ? "(none)" : "(set)") + ", guild=" + Long.toUnsignedString(guild)
                + ", statusChannel=" + Long.toUnsignedString(statusChannel) + ", admins=" + admins + ", statusMinInterval=" + statusMinInterval
                + ", command=" + command + ", deliveryAttempts=" + deliveryAttempts + ", deliveryBackoff=" + deliveryBackoff
                + ", apiUrl=" + apiUrl + ", gatewayUrl=" + gatewayUrl + "]";
    }

    private static UserId admin(String id) {
        if (!id.matches("\\d{15,20}")) {
            throw new IllegalArgumentException("discord.admins '" + id + "' is not a Discord user id (digits only): in Discord, "
                    + "Developer Mode on, right-click the user, Copy User ID; Slack admins go in slack.admins");
        }
        return DiscordUsers.user(Long.parseUnsignedLong(id));
    }
}
