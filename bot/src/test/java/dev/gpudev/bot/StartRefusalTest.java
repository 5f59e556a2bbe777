package dev.gpudev.bot;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;

/** A real {@link Bot#start} with a half-configured production setup does not start the sandbox in its place. */
class StartRefusalTest {
    private final PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void anEmptyBotTokenNamesWhatIsMissingInsteadOfStartingTheSandbox() {
        Map<String, String> emptySecret = Map.of("SLACK_BOT_TOKEN", "", "SLACK_SIGNING_SECRET", "s3cret");
        assertThatThrownBy(() -> Bot.start(TestBots.config(Map.of("slack.admins", "U0ADMIN")), emptySecret, new MutableClock(Fixtures.T0), out)
                .close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SLACK_BOT_TOKEN is empty; set SLACK_BOT_TOKEN");
    }

    @Test
    void theSandboxIdentityNeverRunsWithGithubConfigured() {
        Map<String, String> env = Map.of("SLACK_BOT_TOKEN", "xoxb-test-token", "SLACK_SIGNING_SECRET", TestBots.SECRET);
        assertThatThrownBy(() -> Bot.start(TestBots.config(Map.of("identity.kind", "sandbox", "github.enabled", "true")), env,
                new MutableClock(Fixtures.T0), out).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("identity.kind is sandbox (everybody may reserve with a demo key) but github.enabled is true");
    }

    @Test
    void aTakenPortStopsTheStartAndSaysWhichSettingChangesIt() throws Exception {
        try (ServerSocket held = new ServerSocket()) {
            held.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = held.getLocalPort();
            assertThatThrownBy(() -> Bot.start(TestBots.config(Map.of("server.port", String.valueOf(port))), Map.of(),
                    new MutableClock(Fixtures.T0), out).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + port)
                    .hasMessageContaining("-Dserver.port=");
        }
    }
}
