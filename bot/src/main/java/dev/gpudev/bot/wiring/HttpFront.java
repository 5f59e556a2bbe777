package dev.gpudev.bot.wiring;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import org.jspecify.annotations.Nullable;

import dev.gpudev.bot.config.ServerSettings;
import dev.gpudev.bot.observe.Observability;
import dev.gpudev.bot.sandbox.SandboxSlack;

/**
 * The web server, started before anything else so health answers at once: Slack's route answers 503 until
 * {@link #serveSlack} hands it the Slack app, and readiness is false until {@link #ready} says otherwise.
 */
public final class HttpFront implements AutoCloseable {
    private final WebServer server;
    private final String slackPath;
    private final AtomicReference<Handler> slackRoute;
    private final AtomicBoolean ready;

    private HttpFront(WebServer server, String slackPath, AtomicReference<Handler> slackRoute, AtomicBoolean ready) {
        this.server = server;
        this.slackPath = slackPath;
        this.slackRoute = slackRoute;
        this.ready = ready;
    }

    /** @param workspace the sandbox's simulated Slack, served on {@link SandboxSlack#PATH}; none outside the sandbox */
    public static HttpFront start(ServerSettings settings, String slackPath, @Nullable SandboxSlack workspace) {
        AtomicReference<Handler> slackRoute = new AtomicReference<>((req, res) -> res.status(Status.SERVICE_UNAVAILABLE_503).send("starting"));
        AtomicBoolean ready = new AtomicBoolean();
        WebServer server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .maxPayloadSize(settings.maxPayloadSize())
                .featuresDiscoverServices(false)
                .addFeature(Observability.feature(ready::get))
                .routing(r -> {
                    r.post(slackPath, (req, res) -> slackRoute.get().handle(req, res));
                    if (workspace != null) {
                        r.register(SandboxSlack.PATH, workspace);
                    }
                })
                .build()
                .start();
        if (!server.isRunning() || server.port() <= 0) {
            // Helidon logs a failed bind and returns a server that is not running; nothing else would notice.
            server.stop();
            throw new IllegalStateException("gpu-dev-bot does not start: it cannot listen on " + settings.host() + " port "
                    + settings.port() + " (taken by another program?). Set server.port to a free port: -Dserver.port=9090 before -jar,"
                    + " or SERVER_PORT=9090; 0 picks any free port.");
        }
        return new HttpFront(server, slackPath, slackRoute, ready);
    }

    /**
     * Until this replica leads and has started its service (a follower, or a leader still starting), a request routed to
     * it anyway gets 503 (Slack retries events), never an answer from a state that was never loaded.
     */
    public void serveSlack(Handler bridge, BooleanSupplier serving) {
        slackRoute.set((req, res) -> {
            if (serving.getAsBoolean()) {
                bridge.handle(req, res);
            } else {
                res.status(Status.SERVICE_UNAVAILABLE_503).send("not the leader; the Service sends Slack to the leader's pod");
            }
        });
    }

    /** A bot without Slack (Discord only): its Slack route says so. */
    public void refuseSlack(String why) {
        slackRoute.set((req, res) -> res.status(Status.NOT_FOUND_404).send(why));
    }

    /** Ready is "started and synced", followers too: rollouts and drains count them. */
    public void ready(boolean value) {
        ready.set(value);
    }

    public int port() {
        return server.port();
    }

    public String local() {
        return "http://127.0.0.1:" + server.port();
    }

    public String slackUrl() {
        return local() + slackPath;
    }

    @Override
    public void close() {
        server.stop();
    }
}
