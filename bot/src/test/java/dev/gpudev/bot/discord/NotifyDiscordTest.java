package dev.gpudev.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.bot.Bot;
import dev.gpudev.bot.TestBots;
import dev.gpudev.bot.conversation.NotifyViews;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.testing.MutableClock;

/** {@code /gpu notify when-free} on Discord, through JDA against {@link FakeDiscord}: typed options in, a DM with a button out. */
class NotifyDiscordTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long ANA = 210000000000000001L;
    private static final long BEN = 210000000000000002L;
    private FakeDiscord discord;
    private Bot bot;

    @BeforeEach
    void start() throws Exception {
        discord = new FakeDiscord();
        bot = Bot.start(TestBots.config(Map.of("discord.api-url", discord.apiUrl(), "discord.gateway-url", discord.gatewayUrl(),
                        "identity.kind", "sandbox")),
                Map.of("DISCORD_BOT_TOKEN", FakeDiscord.TOKEN, "DISCORD_GUILD_ID", Long.toUnsignedString(FakeDiscord.GUILD)),
                new MutableClock(Instant.now()), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        await("the bot serves").atMost(WAIT).until(bot::serving);
    }

    @AfterEach
    void stop() throws Exception {
        bot.close();
        discord.close();
    }

    @Test
    void whenFreeIsATypedSubcommandAndItsDmButtonReservesForTheSubscriberOnly() {
        JsonNode gpu = discord.calls("PUT", "/applications/" + FakeDiscord.APP + "/guilds/" + FakeDiscord.GUILD + "/commands")
                .getFirst().body().get(0);
        assertThat(gpu.get("options").findValuesAsText("name")).contains("notify", "when-free");

        for (int i = 0; i < 2; i++) {
            long id = discord.nextId();
            discord.deliver(discord.slash(id, ANA, "reserve", "type", "h100", "count", 8, "duration", "1h"));
        }
        await("Ana holds both h100 nodes").atMost(WAIT).until(() -> of(ANA).size() == 2
                && of(ANA).stream().allMatch(r -> r.state() == ReservationState.ACTIVE));

        long subscribe = discord.nextId();
        discord.deliver(grouped(discord.slash(subscribe, BEN, "when-free", "type", "h100", "count", 8, "duration", "2h")));
        await("Ben is told he waits").atMost(WAIT).until(() -> discord.followUps(subscribe).toString().contains("I'll DM you when 8 × h100 for 2h"));

        FakeDiscord.Stored anas = discord.messagesIn(FakeDiscord.dmChannel(ANA)).getFirst();
        discord.deliver(discord.press(discord.nextId(), ANA, "cancel/" + of(ANA).getFirst().id().value(), anas, false));
        await("Ben's DM comes").atMost(WAIT).until(() -> button(BEN) != null);
        FakeDiscord.Stored dm = discord.messagesIn(FakeDiscord.dmChannel(BEN)).stream().filter(m -> m.body().toString().contains("can start now"))
                .findFirst().orElseThrow();

        long stolen = discord.nextId();
        discord.deliver(discord.press(stolen, ANA, button(BEN), dm, false));
        await("Ana is refused").atMost(WAIT).until(() -> discord.followUps(stolen).toString().contains("someone else's"));
        discord.deliver(discord.press(discord.nextId(), BEN, button(BEN), dm, false));
        await("Ben holds 8 × h100 for 2h").atMost(WAIT).until(() -> of(BEN).size() == 1);
        assertThat(of(BEN).getFirst().duration()).isEqualTo(Duration.ofHours(2));
        assertThat(of(ANA)).hasSize(1);
    }

    /** The subcommand of {@code d} moved into the {@code notify} group. */
    private static ObjectNode grouped(ObjectNode d) {
        var subcommand = (ObjectNode) d.at("/data/options/0");
        var group = d.with("data").putArray("options").addObject().put("name", "notify").put("type", 2);
        group.putArray("options").add(subcommand);
        return d;
    }

    private String button(long user) {
        return discord.messagesIn(FakeDiscord.dmChannel(user)).stream()
                .flatMap(m -> m.body().path("components").findValuesAsText("custom_id").stream())
                .filter(c -> c.startsWith(NotifyViews.RESERVE + "/")).findFirst().orElse(null);
    }

    private List<Reservation> of(long user) {
        return bot.service().state().live().values().stream().filter(r -> r.owner().equals(DiscordUsers.user(user))).toList();
    }
}
