package dev.gpudev.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.ReservationState;

/**
 * The bot in Socket Mode ({@code slack.mode: socket}, {@code SLACK_APP_TOKEN}) against a fake Slack: WireMock answers
 * {@code apps.connections.open} with the URL of a WebSocket server in this test, which says hello and then delivers a
 * slash command envelope; the bot must ack the envelope and act on the command.
 */
class SocketModeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** One side of Slack's Socket Mode: what the bot sent, and a way to send it envelopes. */
    private static final class FakeSlackSocket implements WsListener {
        final List<String> received = new CopyOnWriteArrayList<>();
        final List<WsSession> sessions = new CopyOnWriteArrayList<>();

        @Override
        public void onOpen(WsSession session) {
            sessions.add(session);
            session.send("""
                    {"type":"hello","num_connections":1,"debug_info":{"host":"applink-test","approximate_connection_time":18060},
                     "connection_info":{"app_id":"A1"}}""", true);
        }

        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            received.add(text);
        }

        void send(String envelope) {
            sessions.getLast().send(envelope, true);
        }
    }

    private final FakeSlackSocket socket = new FakeSlackSocket();
    private final WebServer server = WebServer.builder().host("127.0.0.1").port(0)
            .addRouting(WsRouting.builder().endpoint("/link/", socket)).build().start();

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void aSlashCommandOverTheSocketIsAckedByItsEnvelopeIdAndReserves() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of(), "ws://127.0.0.1:" + server.port() + "/link/?ticket=t1&app_id=A1")) {
            await("the bot connects").atMost(WAIT).until(() -> !socket.sessions.isEmpty());
            assertThat(h.sent("apps.connections.open")).isNotEmpty();
            // No signing secret was given, so the HTTP route has one nobody knows and refuses every request.
            assertThat(h.command("reserve h100 1 1h", "U0ANA").statusCode()).isEqualTo(401);
            String envelope = """
                    {"envelope_id":"0d5f6e2a-socket-1","type":"slash_commands","accepts_response_payload":true,
                     "payload":{"token":"unused","team_id":"T1","team_domain":"test","channel_id":"D0ANA","channel_name":"directmessage",
                       "user_id":"U0ANA","user_name":"ana","command":"/gpu","text":"reserve h100 1 1h","api_app_id":"A1",
                       "response_url":"%s/response/U0ANA","trigger_id":"111.222.socket"}}""".formatted(h.slackApi.baseUrl());
            // Slack sends an envelope again until it is acked; the bot may still be wiring its handlers after hello
            await("the envelope is acked").atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
                boolean acked = socket.received.stream().anyMatch(m -> m.contains("0d5f6e2a-socket-1"));
                if (!acked) {
                    socket.send(envelope);
                }
                return acked;
            });
            JsonObject ack = socket.received.stream().filter(m -> m.contains("0d5f6e2a-socket-1")).findFirst()
                    .map(m -> JsonParser.parseString(m).getAsJsonObject()).orElseThrow();
            assertThat(ack.get("envelope_id").getAsString()).isEqualTo("0d5f6e2a-socket-1");
            assertThat(ack.getAsJsonObject("payload").get("text").getAsString()).contains("Reserving 1 × h100 for 1h");

            await().atMost(WAIT).until(() -> !h.bot.service().state().live().isEmpty() && h.only().state() == ReservationState.ACTIVE);
            assertThat(h.only().owner().value()).isEqualTo("U0ANA");
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.sent("chat.postMessage"))
                    .anyMatch(b -> b.contains("channel=D0ANA") && b.contains(h.only().id().value())));
        }
    }
}
