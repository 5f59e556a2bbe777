package dev.gpudev.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.bot.Bot;
import dev.gpudev.bot.TestBots;
import dev.gpudev.bot.pictures.Timeline;
import dev.gpudev.bot.pictures.TimelinePicture;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.testing.MutableClock;

/** {@code /gpu timeline} and {@code /gpu usage} on Discord, through JDA against {@link FakeDiscord}: the files ride on the answers. */
class DiscordUsageTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long ANA = 210000000000000001L;
    private final MutableClock clock = new MutableClock(Instant.now());
    private FakeDiscord discord;
    private Bot bot;

    @BeforeEach
    void start() throws Exception {
        discord = new FakeDiscord();
        bot = Bot.start(TestBots.config(Map.of("discord.api-url", discord.apiUrl(), "discord.gateway-url", discord.gatewayUrl(),
                        "identity.kind", "sandbox")), Map.of("DISCORD_BOT_TOKEN", FakeDiscord.TOKEN, "DISCORD_GUILD_ID", Long.toUnsignedString(FakeDiscord.GUILD)),
                clock, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        await("the bot serves").atMost(WAIT).until(bot::serving);
    }

    @AfterEach
    void stop() throws Exception {
        bot.close();
        discord.close();
    }

    @Test
    void theTimelineAndTheUsageChartComeAsFilesOnTheEphemeralAnswers() throws Exception {
        discord.deliver(discord.slash(discord.nextId(), ANA, "reserve", "type", "h100", "count", 4, "duration", "2h"));
        await("ready").atMost(WAIT).until(() -> bot.service().state().live().values().stream().anyMatch(r -> r.state() == ReservationState.ACTIVE));
        clock.advance(Duration.ofMinutes(30));

        long timeline = discord.nextId();
        discord.deliver(discord.slash(timeline, ANA, "timeline", "type", "h100"));
        await("the picture").atMost(WAIT).until(() -> discord.uploads().stream().anyMatch(u -> u.filename().equals("timeline-h100.png")));
        var png = discord.uploads().stream().filter(u -> u.filename().equals("timeline-h100.png")).findFirst().orElseThrow();
        assertThat(png.path()).contains("/webhooks/");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.bytes()));
        assertThat(image.getWidth()).isEqualTo(TimelinePicture.WIDTH);
        int mine = TimelinePicture.COLOURS.get(Timeline.Kind.MINE).getRGB();
        long own = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                own += image.getRGB(x, y) == mine ? 1 : 0;
            }
        }
        assertThat(own).as("the asker's bar, beyond the legend's swatch").isGreaterThan(14 * 10);
        assertThat(discord.followUps(timeline).toString()).contains("The nodes of h100");

        discord.deliver(discord.slash(discord.nextId(), ANA, "usage", "period", "week"));
        await("the chart").atMost(WAIT).until(() -> discord.uploads().stream().anyMatch(u -> u.filename().equals("usage-week.png")));
    }
}
