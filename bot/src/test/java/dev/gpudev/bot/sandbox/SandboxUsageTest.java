package dev.gpudev.bot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gpudev.bot.Bot;
import dev.gpudev.bot.TestBots;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;

/** The console: /gpu timeline and /gpu usage save their files and print where, openable as PNG and CSV. */
class SandboxUsageTest {
    private static final Pattern SAVED = Pattern.compile("── file saved: (\\S+)");

    @TempDir
    Path dir;

    @Test
    void theTimelineAndTheUsageChartAreSavedAndTheirPathsPrinted() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        MutableClock clock = new MutableClock(Fixtures.T0);
        try (Bot bot = Bot.start(TestBots.config(Map.of("sandbox.files-dir", dir.toString())), Map.of(), clock,
                new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            SandboxConsole console = bot.console().orElseThrow();
            console.handle("/gpu reserve h100 4 2h");
            await().atMost(Duration.ofSeconds(10)).until(() -> bot.service().state().live().values().stream()
                    .anyMatch(r -> r.state() == ReservationState.ACTIVE));
            console.handle(":advance 1h");
            console.handle("/gpu timeline h100");
            console.handle("/gpu usage week csv");
            await().atMost(Duration.ofSeconds(10)).until(() -> SAVED.matcher(printed.toString(StandardCharsets.UTF_8)).results().count() == 2);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        List<Path> saved = SAVED.matcher(out).results().map(r -> Path.of(r.group(1))).toList();
        Path png = saved.stream().filter(p -> p.toString().endsWith(".png")).findFirst().orElseThrow();
        Path csv = saved.stream().filter(p -> p.toString().endsWith(".csv")).findFirst().orElseThrow();
        assertThat(png.getParent()).isEqualTo(dir.toAbsolutePath());
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        assertThat(out).contains("GPU timeline, h100, in the DM to U0SANDBOX");
        assertThat(Files.readString(csv)).contains("person,U0SANDBOX,1,240,");
    }
    /** The simulated GPUs answer for a server the idle poll never read (its type's policy off) after it ended: idle, not unknown. */
    @Test
    void theUsageOfAnEndedServerTheIdlePollNeverReadHasABusyShare() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        MutableClock clock = new MutableClock(Fixtures.T0);
        try (Bot bot = Bot.start(TestBots.config(Map.of("sandbox.files-dir", dir.toString(), "idle.enabled", "false")), Map.of(), clock,
                new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            SandboxConsole console = bot.console().orElseThrow();
            console.handle("/gpu reserve b200 8 1h");
            await().atMost(Duration.ofSeconds(10)).until(() -> bot.service().state().live().values().stream()
                    .anyMatch(r -> r.state() == ReservationState.ACTIVE));
            console.handle(":advance 2h");
            await().atMost(Duration.ofSeconds(10)).until(() -> bot.service().state().live().isEmpty());
            console.handle("/gpu usage");
            await().atMost(Duration.ofSeconds(10)).until(() -> printed.toString(StandardCharsets.UTF_8).contains("*By GPU type*"));
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("• b200: 1 reservation, *8h* GPU-hours reserved, 0h busy (0 % of 8h measured)");
    }
}
