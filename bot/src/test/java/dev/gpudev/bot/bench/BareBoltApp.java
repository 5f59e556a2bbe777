package dev.gpudev.bot.bench;

import java.net.URI;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import io.helidon.webserver.WebServer;

import dev.gpudev.bot.slack.BoltBridge;

/**
 * The baseline: a Bolt app whose {@code /gpu} handler only acks, on the bot's {@link BoltBridge} and its own
 * Helidon server. Same signing secret and Slack API stub as the bot, so the two differ only in what the bot does.
 */
final class BareBoltApp implements AutoCloseable {
    private static final String PATH = "/slack/events";
    private final WebServer server;

    BareBoltApp(String slackApiUrl, String botToken, String signingSecret) throws Exception {
        SlackConfig slack = new SlackConfig();
        slack.setMethodsEndpointUrlPrefix(slackApiUrl);
        App app = new App(AppConfig.builder().slack(Slack.getInstance(slack)).singleTeamBotToken(botToken).signingSecret(signingSecret).build());
        app.command("/gpu", (req, ctx) -> ctx.ack());
        app.initialize();
        BoltBridge bridge = new BoltBridge(app);
        server = WebServer.builder().host("127.0.0.1").port(0).featuresDiscoverServices(false)
                .routing(r -> r.post(PATH, bridge)).build().start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port() + PATH);
    }

    @Override
    public void close() {
        server.stop();
    }
}
