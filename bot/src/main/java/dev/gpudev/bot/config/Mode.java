package dev.gpudev.bot.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;

/**
 * Sandbox or production, decided once at start from the config and the environment. The sandbox (simulated Slack,
 * everybody may reserve with a demo key, one sandbox admin) runs only when asked for ({@code GPU_DEV_MODE=sandbox})
 * or when nothing of Slack, Discord, AWS, Kubernetes or GitHub is configured; a bot configured for production that
 * lacks a setting its Slack transport or its Discord front-end needs does not start, and the refusal names the setting.
 * Production serves Slack, Discord or both: Slack when anything of it is set, Discord when {@code DISCORD_BOT_TOKEN}
 * or {@code discord.guild-id} is set.
 */
public sealed interface Mode {
    /** {@code auto} (the default), {@code sandbox} or {@code production}; wins over the config key {@code mode}. */
    String ENV = "GPU_DEV_MODE";
    String BOT_TOKEN = "SLACK_BOT_TOKEN";
    String SIGNING_SECRET = "SLACK_SIGNING_SECRET";
    String APP_TOKEN = "SLACK_APP_TOKEN";
    String DISCORD_TOKEN = "DISCORD_BOT_TOKEN";
    /** The guild (server) whose members use the bot; wins over {@code discord.guild-id}. */
    String DISCORD_GUILD = "DISCORD_GUILD_ID";

    /** @param why what chose it, for the banner */
    record Sandbox(String why) implements Mode {
    }

    /**
     * @param slack   how Slack reaches the bot, if it serves Slack
     * @param discord whether it serves Discord (its settings: {@code dev.gpudev.bot.discord.DiscordSettings})
     */
    record Production(Optional<Transport> slack, boolean discord) implements Mode {
    }

    /** @param reason every missing or conflicting setting, and what would work */
    record Refused(String reason) implements Mode {
    }

    /** How Slack reaches the bot: signed HTTP requests, or a WebSocket the bot opens (Socket Mode). */
    enum Transport {
        HTTP("http", List.of(BOT_TOKEN, SIGNING_SECRET)),
        SOCKET("socket", List.of(BOT_TOKEN, APP_TOKEN));

        private final String key;
        private final List<String> env;

        Transport(String key, List<String> env) {
            this.key = key;
            this.env = env;
        }

        /** The environment variables this transport cannot run without. */
        public List<String> requiredEnv() {
            return env;
        }

        public String key() {
            return key;
        }
    }

    /** The config keys the decision reads, with the embedded defaults. */
    record Settings(String mode, String slackMode, String storeKind, String clusterKind, boolean githubEnabled,
                    String identityKind, boolean leaderElection, String discordGuild, String discordChannel) {
        public static Settings of(Config c) {
            return new Settings(c.get("mode").asString().orElse("auto"), c.get("slack.mode").asString().orElse("http"),
                    c.get("store.kind").asString().orElse("memory"), c.get("cluster.kind").asString().orElse("simulated"),
                    c.get("github.enabled").asBoolean().orElse(false), c.get("identity.kind").asString().orElse(""),
                    c.get("leader-election.enabled").asBoolean().orElse(false),
                    c.get("discord.guild-id").asString().orElse(""), c.get("discord.status-channel").asString().orElse(""));
        }
    }

    static Mode resolve(Config config, Map<String, String> env) {
        return resolve(Settings.of(config), env);
    }

    static Mode resolve(Settings s, Map<String, String> env) {
        String asked = env.getOrDefault(ENV, "").isBlank() ? s.mode() : env.get(ENV).strip();
        String askedBy = env.getOrDefault(ENV, "").isBlank() ? "mode is " + asked : ENV + " is " + asked;
        List<String> configured = configured(s, env);
        return switch (asked) {
            case "sandbox" -> sandbox(s, env, askedBy);
            case "production" -> production(s, env, List.of(askedBy));
            case "auto" -> configured.isEmpty()
                    ? new Sandbox("nothing of Slack, Discord, AWS, Kubernetes or GitHub is configured")
                    : production(s, env, configured);
            default -> new Refused(ENV + " (or mode) '" + asked + "' is not known; use sandbox, production or auto "
                    + "(auto: the sandbox when nothing of Slack, AWS, Kubernetes or GitHub is configured)");
        };
    }

    /** The settings that show the bot is meant for a real workspace and cluster. */
    private static List<String> configured(Settings s, Map<String, String> env) {
        List<String> found = new ArrayList<>();
        if (env.containsKey(BOT_TOKEN)) {
            found.add(env.get(BOT_TOKEN).isBlank() ? BOT_TOKEN + " is set but empty" : BOT_TOKEN + " is set");
        }
        if (!env.getOrDefault(APP_TOKEN, "").isBlank()) {
            found.add(APP_TOKEN + " is set");
        }
        if (!s.slackMode().equals("http")) {
            found.add("slack.mode is " + s.slackMode());
        }
        if (env.containsKey(DISCORD_TOKEN)) {
            found.add(env.get(DISCORD_TOKEN).isBlank() ? DISCORD_TOKEN + " is set but empty" : DISCORD_TOKEN + " is set");
        }
        if (!guild(s, env).isBlank()) {
            found.add("discord.guild-id is set");
        }
        if (!s.clusterKind().equals("simulated")) {
            found.add("cluster.kind is " + s.clusterKind());
        }
        if (!s.storeKind().equals("memory")) {
            found.add("store.kind is " + s.storeKind());
        }
        if (s.githubEnabled()) {
            found.add("github.enabled is true");
        }
        if (s.leaderElection()) {
            found.add("leader-election.enabled is true");
        }
        return found;
    }

    private static Mode sandbox(Settings s, Map<String, String> env, String askedBy) {
        List<String> problems = new ArrayList<>();
        for (String token : List.of(BOT_TOKEN, APP_TOKEN, DISCORD_TOKEN)) {
            if (!env.getOrDefault(token, "").isBlank()) {
                problems.add(askedBy + " but " + token + " is set: the sandbox simulates the chat and would ignore it; unset it, or set "
                        + ENV + "=production");
            }
        }
        if (!s.slackMode().equals("http")) {
            problems.add(askedBy + " but slack.mode is " + s.slackMode() + ": the sandbox's simulated Slack speaks HTTP only; remove slack.mode");
        }
        if (!s.clusterKind().equals("simulated")) {
            problems.add(askedBy + " but cluster.kind is " + s.clusterKind()
                    + ": the sandbox lets everybody reserve with a demo key, so it runs only on the simulated cluster");
        }
        if (s.githubEnabled()) {
            problems.add(askedBy + " but github.enabled is true: the sandbox lets everybody in with a demo key and never runs "
                    + "with GitHub configured; set " + ENV + "=production");
        }
        return problems.isEmpty() ? new Sandbox(askedBy) : new Refused(String.join("; ", problems));
    }

    private static Mode production(Settings s, Map<String, String> env, List<String> evidence) {
        boolean discord = env.containsKey(DISCORD_TOKEN) || !guild(s, env).isBlank();
        boolean slack = !discord || env.containsKey(BOT_TOKEN) || env.containsKey(APP_TOKEN)
                || !env.getOrDefault(SIGNING_SECRET, "").isBlank() || !s.slackMode().equals("http");
        List<String> problems = new ArrayList<>(discord ? discordProblems(s, env) : List.of());
        if (!slack) {
            return problems.isEmpty() ? new Production(Optional.empty(), true) : new Refused(String.join("; ", problems));
        }
        Transport transport = switch (s.slackMode()) {
            case "http" -> Transport.HTTP;
            case "socket" -> Transport.SOCKET;
            default -> null;
        };
        if (transport == null) {
            problems.add("slack.mode '" + s.slackMode() + "' is not known; use http or socket");
        }
        if (env.getOrDefault(BOT_TOKEN, "").isBlank()) {
            List<String> others = evidence.stream()
                    .filter(e -> !e.startsWith(BOT_TOKEN) && !e.startsWith(DISCORD_TOKEN) && !e.startsWith("discord.")).toList();
            problems.add(BOT_TOKEN + (env.containsKey(BOT_TOKEN) ? " is empty" : " is not set")
                    + (others.isEmpty() ? "" : " but " + String.join(" and ", others)) + "; set " + BOT_TOKEN
                    + " (xoxb-…)" + (discord ? "" : " or " + DISCORD_TOKEN + " and discord.guild-id for Discord")
                    + ", or for the sandbox configure nothing of Slack, Discord, AWS, Kubernetes or GitHub (" + ENV + "=sandbox)");
        }
        if (transport == Transport.HTTP && env.getOrDefault(SIGNING_SECRET, "").isBlank()) {
            problems.add(SIGNING_SECRET + " is empty but slack.mode is http: without it no Slack request can be verified; set "
                    + SIGNING_SECRET + ", or use slack.mode socket with " + APP_TOKEN);
        }
        if (transport == Transport.SOCKET && env.getOrDefault(APP_TOKEN, "").isBlank()) {
            problems.add(APP_TOKEN + " is empty but slack.mode is socket; set " + APP_TOKEN
                    + " (xapp-…, scope connections:write), or use slack.mode http with " + SIGNING_SECRET);
        }
        if (s.identityKind().equals("sandbox") && s.githubEnabled()) {
            problems.add("identity.kind is sandbox (everybody may reserve with a demo key) but github.enabled is true; "
                    + "remove identity.kind so that GitHub decides who may reserve");
        }
        return problems.isEmpty() ? new Production(Optional.of(transport), discord) : new Refused(String.join("; ", problems));
    }

    /** Discord needs its token and the guild its commands are registered on; ids are Discord snowflakes (digits). */
    private static List<String> discordProblems(Settings s, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        String guild = guild(s, env);
        if (env.getOrDefault(DISCORD_TOKEN, "").isBlank()) {
            problems.add(DISCORD_TOKEN + (env.containsKey(DISCORD_TOKEN) ? " is empty" : " is not set") + " but "
                    + (guild.isBlank() ? "Discord is configured" : "discord.guild-id is set") + "; set " + DISCORD_TOKEN
                    + " (the bot token of your Discord application, docs/discord.md), or remove the discord settings");
        }
        if (guild.isBlank()) {
            problems.add("discord.guild-id (or " + DISCORD_GUILD + ") is not set but " + DISCORD_TOKEN
                    + " is: the bot registers its slash commands on one guild; set it to your server's id (docs/discord.md)");
        } else if (!snowflake(guild)) {
            problems.add("discord.guild-id '" + guild + "' is not a Discord id (digits only); copy it with Developer Mode on");
        }
        if (!s.discordChannel().isBlank() && !snowflake(s.discordChannel())) {
            problems.add("discord.status-channel '" + s.discordChannel() + "' is not a Discord channel id (digits only); "
                    + "copy it with Developer Mode on, or leave it empty for no status message");
        }
        return problems;
    }

    private static String guild(Settings s, Map<String, String> env) {
        String fromEnv = env.getOrDefault(DISCORD_GUILD, "").strip();
        return fromEnv.isEmpty() ? s.discordGuild().strip() : fromEnv;
    }

    private static boolean snowflake(String id) {
        return id.matches("\\d{15,20}");
    }
}
