package dev.gpudev.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.bot.Bot;
import dev.gpudev.bot.TestBots;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.testing.MutableClock;

/** {@code /gpu reserve … at:} and {@code /gpu bookings} through JDA against {@link FakeDiscord}; Discord gives no zone, so UTC. */
class DiscordBookingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long ANA = 210000000000000001L;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T09:00:00Z"));
    private FakeDiscord discord;
    private Bot bot;

    @BeforeEach
    void start() throws Exception {
        discord = new FakeDiscord();
        bot = Bot.start(TestBots.config(Map.of("discord.api-url", discord.apiUrl(), "discord.gateway-url", discord.gatewayUrl(),
                        "identity.kind", "sandbox")),
                Map.of("DISCORD_BOT_TOKEN", FakeDiscord.TOKEN, "DISCORD_GUILD_ID", Long.toUnsignedString(FakeDiscord.GUILD)), clock,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        await("the bot serves").atMost(WAIT).until(bot::serving);
    }

    @AfterEach
    void stop() throws Exception {
        bot.close();
        discord.close();
    }

    @Test
    void aSlashReserveWithAtBooksAndBookingsListsIt() {
        long id = discord.nextId();
        discord.deliver(discord.slash(id, ANA, "reserve", "type", "h100", "count", 8, "duration", "2h", "at", "tomorrow 9am"));
        await().atMost(WAIT).until(() -> !bot.service().state().live().isEmpty());
        Reservation booked = bot.service().state().live().values().iterator().next();
        assertThat(booked.booking().startsAt()).isEqualTo(Instant.parse("2026-11-03T09:00:00Z"));
        assertThat(discord.callbacks(id).getFirst().at("/data/content").asText()).contains("from Tue 3 Nov 09:00 UTC");

        long list = discord.nextId();
        discord.deliver(discord.slash(list, ANA, "bookings"));
        await().atMost(WAIT).until(() -> !discord.callbacks(list).isEmpty());
        JsonNode answer = discord.callbacks(list).getFirst();
        assertThat(answer.at("/data/content").asText() + answer.at("/data/embeds").toString()).contains(booked.id().value());
    }
}
