package dev.gpudev.bot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gpudev.bot.Bot;
import dev.gpudev.bot.TestBots;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;

/** {@code :platform discord}: the same conversation, shown as Discord renders it; the console's lines stay as they are. */
class SandboxDiscordTest {

    @Test
    void theConsoleShowsTheDmTheDiscordWayAfterThePlatformSwitch() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        try (Bot bot = Bot.start(TestBots.config(Map.of()), Map.of(), new MutableClock(Fixtures.T0), out)) {
            SandboxConsole console = bot.console().orElseThrow();
            console.handle("/gpu reserve h100 1 1h");
            await().atMost(Duration.ofSeconds(10)).until(() -> printed.toString(StandardCharsets.UTF_8).contains("is ready"));
            String slack = printed.toString(StandardCharsets.UTF_8);
            assertThat(slack).contains(":white_check_mark: ").doesNotContain("✅");

            console.handle(":platform discord");
            int from = printed.size();
            console.handle("/gpu reserve h100 2 1h");
            await().atMost(Duration.ofSeconds(10)).until(() -> printed.toString(StandardCharsets.UTF_8).substring(from).contains("is ready"));
            String discord = printed.toString(StandardCharsets.UTF_8).substring(from);
            assertThat(discord).contains("── DM to U0SANDBOX").contains("✅ **").contains("<t:").doesNotContain(":white_check_mark:");
            assertThat(discord).containsPattern("\\[b\\d+ Extend \\+1h\\]");
        }
    }
}
