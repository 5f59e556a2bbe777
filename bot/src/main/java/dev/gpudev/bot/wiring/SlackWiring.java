package dev.gpudev.bot.wiring;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.socket_mode.SocketModeApp;

import dev.gpudev.bot.config.Mode;
import dev.gpudev.bot.config.SlackSettings;
import dev.gpudev.bot.conversation.ReservationViews;
import dev.gpudev.bot.conversation.Survival;
import dev.gpudev.bot.slack.SlackNotifier;
import dev.gpudev.bot.slack.SlackWebClient;

/** The Slack side: the Bolt app, the Web API client and the DM notifier, and Socket Mode when chosen. */
public record SlackWiring(App app, SlackWebClient web, SlackNotifier notifier) {
    public static final String SANDBOX_BOT_TOKEN = "xoxb-sandbox";

    /**
     * {@code SLACK_SIGNING_SECRET}, or a random one: the sandbox prints it; in Socket Mode nobody knows it, so the HTTP
     * route refuses every request.
     */
    public static String signingSecret(Map<String, String> env) {
        String secret = env.getOrDefault(Mode.SIGNING_SECRET, "");
        if (!secret.isBlank()) {
            return secret;
        }
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** @param apiUrl the Web API root when not Slack's own: {@code slack.api-url}, or the sandbox's simulated Slack */
    public static SlackWiring create(SlackSettings settings, String botToken, String signingSecret, Optional<String> apiUrl) {
        return create(settings, botToken, signingSecret, apiUrl, Survival.DEFAULTS);
    }

    /** @param survival what outlives a server on this cluster, for the last reminder */
    public static SlackWiring create(SlackSettings settings, String botToken, String signingSecret, Optional<String> apiUrl,
                                     Survival survival) {
        SlackConfig config = new SlackConfig();
        // Per-method call statistics: they feed the SDK's metrics API and async rate limiter, neither of which the bot uses.
        config.setStatsEnabled(false);
        apiUrl.ifPresent(config::setMethodsEndpointUrlPrefix);
        Slack slack = Slack.getInstance(config);
        App app = new App(AppConfig.builder().slack(slack).singleTeamBotToken(botToken).signingSecret(signingSecret).build());
        SlackWebClient web = new SlackWebClient(slack, botToken);
        return new SlackWiring(app, web, new SlackNotifier(web, settings.delivery().attempts(), settings.delivery().backoff(),
                n -> ReservationViews.of(n, survival)));
    }

    public Optional<SocketModeApp> socketMode(Mode mode, Map<String, String> env) throws IOException {
        return mode instanceof Mode.Production p && p.slack().equals(Optional.of(Mode.Transport.SOCKET))
                ? Optional.of(new SocketModeApp(env.get(Mode.APP_TOKEN), app)) : Optional.empty();
    }
}
