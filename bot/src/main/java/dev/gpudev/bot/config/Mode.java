package dev.gpudev.bot.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;

/**
 * Sandbox or production, decided once at start from the config and the environment. The sandbox (simulated Slack,
 * everybody may reserve with a demo key, one sandbox admin) runs only when asked for ({@code GPU_DEV_MODE=sandbox})
 * or when nothing of Slack, AWS, Kubernetes or GitHub is configured; a bot configured for production that lacks a
 * setting its Slack transport needs does not start, and the refusal names the setting.
 */
public sealed interface Mode {
    /** {@code auto} (the default), {@code sandbox} or {@code production}; wins over the config key {@code mode}. */
    String ENV = "GPU_DEV_MODE";
    String BOT_TOKEN = "SLACK_BOT_TOKEN";
    String SIGNING_SECRET = "SLACK_SIGNING_SECRET";
    String APP_TOKEN = "SLACK_APP_TOKEN";

    /** @param why what chose it, for the banner */
    record Sandbox(String why) implements Mode {
    }

    record Production(Transport transport) implements Mode {
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
                    String identityKind, boolean leaderElection) {
        public static Settings of(Config c) {
            return new Settings(c.get("mode").asString().orElse("auto"), c.get("slack.mode").asString().orElse("http"),
                    c.get("store.kind").asString().orElse("memory"), c.get("cluster.kind").asString().orElse("simulated"),
                    c.get("github.enabled").asBoolean().orElse(false), c.get("identity.kind").asString().orElse(""),
                    c.get("leader-election.enabled").asBoolean().orElse(false));
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
                    ? new Sandbox("nothing of Slack, AWS, Kubernetes or GitHub is configured")
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
        for (String token : List.of(BOT_TOKEN, APP_TOKEN)) {
            if (!env.getOrDefault(token, "").isBlank()) {
                problems.add(askedBy + " but " + token + " is set: the sandbox simulates Slack and would ignore it; unset it, or set "
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
        List<String> problems = new ArrayList<>();
        Transport transport = switch (s.slackMode()) {
            case "http" -> Transport.HTTP;
            case "socket" -> Transport.SOCKET;
            default -> null;
        };
        if (transport == null) {
            problems.add("slack.mode '" + s.slackMode() + "' is not known; use http or socket");
        }
        if (env.getOrDefault(BOT_TOKEN, "").isBlank()) {
            List<String> others = evidence.stream().filter(e -> !e.startsWith(BOT_TOKEN)).toList();
            problems.add(BOT_TOKEN + (env.containsKey(BOT_TOKEN) ? " is empty" : " is not set")
                    + (others.isEmpty() ? "" : " but " + String.join(" and ", others)) + "; set " + BOT_TOKEN
                    + " (xoxb-…), or for the sandbox configure nothing of Slack, AWS, Kubernetes or GitHub (" + ENV + "=sandbox)");
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
        return problems.isEmpty() ? new Production(transport) : new Refused(String.join("; ", problems));
    }
}
