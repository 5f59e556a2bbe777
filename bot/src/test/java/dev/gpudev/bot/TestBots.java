package dev.gpudev.bot;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/** Starts bots on a free port with test settings over the embedded defaults. */
public final class TestBots {
    public static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

    private TestBots() {
    }

    public static Config config(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(Map.of(
                "server.port", "0",
                "server.host", "127.0.0.1",
                "cluster.simulated.ready-delay", "PT0S",
                "runtime.max-tick", "PT0.05S",
                "sandbox.console", "false"));
        all.putAll(overrides);
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.create(all))
                .addSource(ConfigSources.classpath("application.yaml"))
                .build();
    }

    /** A bot talking to the Slack Web API at {@code slackApiUrl} with a bot token and the test signing secret. */
    public static Bot slack(String slackApiUrl, Clock clock, Map<String, String> overrides) throws Exception {
        return slack(slackApiUrl, clock, overrides, Map.of());
    }

    /**
     * @param env more of the environment, e.g. {@code SLACK_APP_TOKEN} for Socket Mode; a null value removes a
     *            variable the test bot has by default
     */
    public static Bot slack(String slackApiUrl, Clock clock, Map<String, String> overrides, Map<String, String> env) throws Exception {
        Map<String, String> cfg = new HashMap<>(overrides);
        cfg.put("slack.api-url", slackApiUrl);
        cfg.putIfAbsent("identity.kind", "sandbox");
        Map<String, String> all = new HashMap<>(Map.of("SLACK_BOT_TOKEN", "xoxb-test-token", "SLACK_SIGNING_SECRET", SECRET));
        all.putAll(env);
        all.values().removeIf(v -> v == null);
        Bot bot = Bot.start(config(cfg), all, clock, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        awaitReady(bot);
        if (!cfg.containsKey(FOLLOWER)) {
            await("the bot leads and serves Slack").atMost(Duration.ofSeconds(60)).until(bot::serving);
        }
        return bot;
    }

    /** An override key (ignored by the bot) for a replica that may stay a follower: start returns once it is Ready. */
    public static final String FOLLOWER = "test.may-follow";

    /** With a Kubernetes cluster the bot leads (and so is ready) only once it won the lease, on another thread. */
    private static void awaitReady(Bot bot) {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.port() + "/observe/health/ready")).build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            await("the bot is ready").atMost(Duration.ofSeconds(60))
                    .until(() -> http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        }
    }
}
