package dev.gpudev.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.bot.Bot;
import dev.gpudev.bot.TestBots;
import dev.gpudev.bot.conversation.ReserveForm;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.testing.MutableClock;

/**
 * The bot with Discord as its only front-end, through JDA against {@link FakeDiscord}: commands arrive over the gateway
 * as INTERACTION_CREATE, everything the bot says is a REST call the fake records. Nothing here calls a handler.
 */
class DiscordTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long ANA = 210000000000000001L;
    private static final long BEN = 210000000000000002L;
    private static final long STATUS = 555000000000000777L;
    private static final long ADMIN = 210000000000000009L;
    private final MutableClock clock = new MutableClock(Instant.now());
    private FakeDiscord discord;
    private Bot bot;

    @BeforeEach
    void start() throws Exception {
        discord = new FakeDiscord();
        bot = startBot(Map.of());
    }

    private Bot startBot(Map<String, String> more) throws Exception {
        Map<String, String> cfg = new HashMap<>(Map.of(
                "discord.api-url", discord.apiUrl(),
                "discord.gateway-url", discord.gatewayUrl(),
                "discord.status-channel", Long.toUnsignedString(STATUS),
                "discord.status-min-interval", "PT0S",
                "identity.kind", "sandbox",
                "discord.admins", Long.toUnsignedString(ADMIN)));
        cfg.putAll(more);
        Bot bot = Bot.start(TestBots.config(cfg), Map.of("DISCORD_BOT_TOKEN", FakeDiscord.TOKEN,
                        "DISCORD_GUILD_ID", Long.toUnsignedString(FakeDiscord.GUILD)), clock,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        await("the bot serves").atMost(WAIT).until(bot::serving);
        return bot;
    }

    @AfterEach
    void stop() throws Exception {
        bot.close();
        discord.close();
    }

    @Test
    void registersGpuOnTheGuildWithTheCatalogsTypesAsChoices() {
        var put = discord.calls("PUT", "/applications/" + FakeDiscord.APP + "/guilds/" + FakeDiscord.GUILD + "/commands");
        assertThat(put).hasSize(1);
        JsonNode gpu = put.getFirst().body().get(0);
        assertThat(gpu.get("name").asText()).isEqualTo("gpu");
        JsonNode reserve = find(gpu.get("options"), "reserve").orElseThrow();
        JsonNode type = find(reserve.get("options"), "type").orElseThrow();
        assertThat(type.get("type").asInt()).isEqualTo(3);
        assertThat(type.get("choices").findValuesAsText("value")).containsExactly("h100", "h200", "b200", "a100", "l4", "t4");
        assertThat(find(reserve.get("options"), "count").orElseThrow().get("type").asInt()).isEqualTo(4);
        assertThat(find(reserve.get("options"), "jupyter").orElseThrow().get("type").asInt()).isEqualTo(5);
    }

    @Test
    void aSlashReserveIsAnsweredEphemerallyAndItsDmIsEditedInPlaceWhenReady() {
        // Ana holds the only B200 node, so Ben's request queues and his DM must move from queued to ready.
        reserve(ANA, "b200", 8, "2h");
        await("Ana's server is ready").atMost(WAIT).until(() -> text(main(ANA)).contains("is ready"));
        long id = reserve(BEN, "b200", 8, "1h");
        JsonNode ack = discord.callbacks(id).getFirst();
        assertThat(ack.get("type").asInt()).isEqualTo(4);
        assertThat(ack.at("/data/flags").asInt() & 64).as("ephemeral").isEqualTo(64);
        assertThat(ack.at("/data/content").asText()).contains("Reserving 8 × b200");
        await("Ben hears he is queued").atMost(WAIT).until(() -> text(main(BEN)).contains("queued"));
        FakeDiscord.Stored queued = main(BEN);

        long cancel = press(ANA, "cancel/" + only(ANA).id().value(), main(ANA));
        await("Ana hears it is released").atMost(WAIT).until(() -> discord.followUps(cancel).toString().contains("Cancelled"));

        await("Ben's DM now says ready").atMost(WAIT).until(() -> text(main(BEN)).contains("is ready"));
        FakeDiscord.Stored ready = main(BEN);
        assertThat(ready.id()).as("the same message, edited").isEqualTo(queued.id());
        assertThat(ready.edits()).isPositive();
        assertThat(text(ready)).contains("ssh ");
        assertThat(customIds(ready)).contains("extend_1h/" + only(BEN).id().value() + "|0", "ask/cancel/" + only(BEN).id().value());
        List<FakeDiscord.Stored> dm = discord.messagesIn(FakeDiscord.dmChannel(BEN));
        assertThat(dm.stream().filter(m -> !customIds(m).isEmpty())).as("one message with buttons").hasSize(1);
        assertThat(dm).as("and a short one that notifies, as an edit does not").hasSize(2);
    }

    @Test
    void aButtonOfSomeoneElsesReservationIsRefusedAndChangesNothing() {
        reserve(ANA, "h100", 1, "1h");
        await("Ana's server is ready").atMost(WAIT).until(() -> text(main(ANA)).contains("is ready"));
        Reservation r = only(ANA);

        long cancel = press(BEN, "cancel/" + r.id().value(), main(ANA));
        long extend = press(BEN, "extend_1h/" + r.id().value() + "|0", main(ANA));
        await("Ben is refused twice").atMost(WAIT).until(() -> discord.followUps(cancel).toString().contains("not yours")
                && discord.followUps(extend).toString().contains("not yours"));
        assertThat(discord.followUps(cancel).getFirst().get("flags").asInt() & 64).as("ephemeral").isEqualTo(64);
        Reservation after = only(ANA);
        assertThat(after.state()).isEqualTo(ReservationState.ACTIVE);
        assertThat(after.endsAt()).isEqualTo(r.endsAt());
    }

    @Test
    void jupyterIsTurnedOnAndOffOnARunningServer() {
        reserve(ANA, "h100", 1, "1h");
        await("Ana's server is ready").atMost(WAIT).until(() -> text(main(ANA)).contains("is ready"));
        Reservation r = only(ANA);

        long on = discord.nextId();
        discord.deliver(discord.slash(on, ANA, "edit", "id", r.id().value(), "jupyter", true));
        await("on").atMost(WAIT).until(() -> discord.followUps(on).toString().contains("Jupyter is on in " + r.id()));
        assertThat(only(ANA).access().jupyterUrl()).startsWith("http://localhost:8888/lab?token=");
        await("the DM is redrawn with the link").atMost(WAIT).until(() -> text(main(ANA)).contains("Jupyter, through SSH"));

        long off = discord.nextId();
        discord.deliver(discord.slash(off, ANA, "edit", "id", r.id().value(), "jupyter", false));
        await("off").atMost(WAIT).until(() -> discord.followUps(off).toString().contains("Jupyter is off in " + r.id()));
        assertThat(only(ANA).access().jupyterUrl()).isNull();
        await("the DM is redrawn without it").atMost(WAIT).until(() -> !text(main(ANA)).contains("Jupyter"));
    }

    @Test
    void aReplayedInteractionTakesEffectOnce() {
        reserve(ANA, "h100", 1, "1h");
        await("Ana's server is ready").atMost(WAIT).until(() -> text(main(ANA)).contains("is ready"));
        Reservation r = only(ANA);

        long id = discord.nextId();
        var extend = discord.slash(id, ANA, "extend", "duration", "1h", "id", r.id().value());
        discord.deliver(extend);
        discord.deliver(extend);
        await("both deliveries are answered").atMost(WAIT).until(() -> discord.followUps(id).size() == 2);
        assertThat(discord.followUps(id).toString()).contains("Extended");
        assertThat(only(ANA).endsAt()).isEqualTo(r.endsAt().plus(Duration.ofHours(1)));
    }

    @Test
    void anInteractionOfAnotherGuildOrApplicationIsRefusedAndChangesNothing() {
        long otherGuild = discord.nextId();
        long otherApp = discord.nextId();
        discord.deliver(FakeDiscord.foreign(discord.slash(otherGuild, ANA, "reserve", "type", "h100", "count", 1, "duration", "1h"), false));
        discord.deliver(FakeDiscord.foreign(discord.slash(otherApp, ANA, "reserve", "type", "h100", "count", 1, "duration", "1h"), true));
        await("both are answered").atMost(WAIT).until(() -> !discord.callbacks(otherGuild).isEmpty() && !discord.callbacks(otherApp).isEmpty());
        assertThat(discord.callbacks(otherGuild).getFirst().at("/data/content").asText()).contains("only in its own Discord server");
        assertThat(discord.callbacks(otherApp).getFirst().at("/data/content").asText()).contains("only in its own Discord server");
        assertThat(bot.service().state().live()).isEmpty();
    }

    @Test
    void reserveWithoutOptionsOpensTheFormAsAModalAndItsSubmissionReserves() {
        long open = discord.nextId();
        discord.deliver(discord.slash(open, ANA, "reserve"));
        await("a modal").atMost(WAIT).until(() -> !discord.callbacks(open).isEmpty());
        JsonNode modal = discord.callbacks(open).getFirst();
        assertThat(modal.get("type").asInt()).isEqualTo(9);
        assertThat(modal.at("/data/custom_id").asText()).isEqualTo(ReserveForm.ID);
        assertThat(modal.at("/data/components").size()).isBetween(3, 5);

        long submit = discord.nextId();
        discord.deliver(discord.submit(submit, ANA, ReserveForm.ID, ReserveForm.TYPE, List.of("h100"), ReserveForm.GPUS, List.of("2"),
                ReserveForm.DURATION, List.of("PT1H")));
        await("the reservation").atMost(WAIT).until(() -> bot.service().state().live().size() == 1);
        assertThat(only(ANA).gpus()).isEqualTo(2);
        assertThat(discord.callbacks(submit).getFirst().get("type").asInt()).as("deferred, the work after it").isEqualTo(5);
    }

    @Test
    void theStatusMessageIsPostedOnceAndThenEditedInPlace() {
        await("the status message").atMost(WAIT).until(() -> discord.messagesIn(STATUS).size() == 1);
        long posted = discord.messagesIn(STATUS).getFirst().id();
        reserve(ANA, "h100", 4, "1h");
        await("it shows the reservation").atMost(WAIT).until(() -> discord.messagesIn(STATUS).getFirst().body().toString().contains("4/16")
                || discord.messagesIn(STATUS).getFirst().body().toString().contains("12/16"));
        assertThat(discord.messagesIn(STATUS)).hasSize(1);
        assertThat(discord.messagesIn(STATUS).getFirst().id()).isEqualTo(posted);
        assertThat(discord.messagesIn(STATUS).getFirst().edits()).isPositive();
        assertThat(discord.calls("POST", "/channels/" + STATUS + "/messages")).hasSize(1);
    }

    @Test
    void aReminderIsANewDmWithExtendAndReleaseThatWork() {
        reserve(ANA, "h100", 1, "1h");
        await("Ana's server is ready").atMost(WAIT).until(() -> text(main(ANA)).contains("is ready"));
        Reservation r = only(ANA);
        clock.advance(Duration.ofMinutes(31));
        await("the 30-minute reminder").atMost(WAIT).until(() -> discord.messagesIn(FakeDiscord.dmChannel(ANA)).stream()
                .anyMatch(m -> text(m).contains("ends in")));
        FakeDiscord.Stored reminder = discord.messagesIn(FakeDiscord.dmChannel(ANA)).stream().filter(m -> text(m).contains("ends in"))
                .findFirst().orElseThrow();
        assertThat(reminder.id()).isNotEqualTo(main(ANA).id());
        assertThat(customIds(reminder)).contains("extend_1h/" + r.id().value() + "|0", "ask/cancel/" + r.id().value());

        long extend = press(ANA, "extend_1h/" + r.id().value() + "|0", reminder);
        await("extended").atMost(WAIT).until(() -> discord.followUps(extend).toString().contains("Extended"));
        assertThat(only(ANA).endsAt()).isEqualTo(r.endsAt().plus(Duration.ofHours(1)));
        long ask = press(ANA, "ask/cancel/" + r.id().value(), reminder);
        await("asked first").atMost(WAIT).until(() -> !discord.callbacks(ask).isEmpty());
        assertThat(discord.callbacks(ask).getFirst().at("/data/components").findValuesAsText("custom_id"))
                .containsExactly("cancel/" + r.id().value(), "dismiss/-");
        assertThat(only(ANA).live()).as("nothing happens before the yes").isTrue();
    }

    @Test
    void adminsArePerPlatformAndAdminCommandsTakeADiscordUser() {
        long drain = discord.nextId();
        discord.deliver(adminCommand(drain, ADMIN, "drain", "node", "h100-sim-1"));
        long forbidden = discord.nextId();
        discord.deliver(adminCommand(forbidden, ANA, "drain", "node", "h100-sim-1"));
        long link = discord.nextId();
        discord.deliver(adminCommand(link, ADMIN, "link-user", "user", BEN, "login", "octocat"));
        await("answered").atMost(WAIT).until(() -> discord.followUps(drain).toString().contains("Drained h100-sim-1")
                && !discord.callbacks(forbidden).isEmpty() && !discord.followUps(link).isEmpty());
        assertThat(discord.callbacks(forbidden).getFirst().at("/data/content").asText()).contains("Only admins");
        assertThat(discord.followUps(link).toString()).doesNotContain("is not a user").contains("GitHub linking is not configured");
    }

    @Test
    void anAdminExemptsADiscordUserFromTheIdlePolicyAndTwoTargetsAreRefused() {
        long exempt = discord.nextId();
        discord.deliver(adminCommand(exempt, ADMIN, "exempt", "user", BEN));
        long both = discord.nextId();
        discord.deliver(adminCommand(both, ADMIN, "exempt", "user", BEN, "team", "vision"));
        long list = discord.nextId();
        await("exempt").atMost(WAIT).until(() -> discord.followUps(exempt).toString().contains("is now exempt from the idle policy"));
        discord.deliver(adminCommand(list, ADMIN, "exempt"));
        await("listed").atMost(WAIT).until(() -> !discord.followUps(list).isEmpty() && !discord.callbacks(both).isEmpty());
        assertThat(discord.followUps(list).toString()).contains("Exempt from the idle policy: <@" + Long.toUnsignedString(BEN) + ">");
        assertThat(discord.callbacks(both).getFirst().at("/data/content").asText()).contains("Name one of `user`, `team` or `id`");
    }

    @Test
    void theSlackRouteOfADiscordOnlyBotAnswers404AndSaysWhy() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(bot.slackEndpoint())
                    .POST(HttpRequest.BodyPublishers.ofString("command=%2Fgpu&text=list")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).contains("Slack is not configured on this bot (Discord only)");
        }
    }

    @Test
    void whenTheWorkAfterAcksIsFullAnInteractionIsAnsweredBusyAtOnceAndNothingHappens() throws Exception {
        bot.close();
        bot = startBot(Map.of("slack.after-ack.threads", "1", "slack.after-ack.queue", "1"));
        reserve(ANA, "h100", 1, "1h");
        await("Ana's reservation is live").atMost(WAIT).until(() -> !bot.service().state().live().isEmpty());
        // An admin's broadcast DMs Ana; Discord takes its time with it: the first holds the one thread, the second the
        // one queue place.
        discord.hold("From the GPU admins");
        long first = discord.nextId();
        discord.deliver(adminCommand(first, ADMIN, "broadcast", "text", "maintenance at 18:00"));
        await("the first broadcast waits for Discord").atMost(WAIT).until(() -> discord.held() == 1);
        long second = discord.nextId();
        discord.deliver(adminCommand(second, ADMIN, "broadcast", "text", "maintenance at 18:00"));

        long refused = reserve(BEN, "h100", 1, "1h");

        JsonNode answer = discord.callbacks(refused).getFirst();
        assertThat(answer.get("type").asInt()).as("answered, not deferred").isEqualTo(4);
        assertThat(answer.at("/data/content").asText()).contains("too busy").contains("nothing changed");
        assertThat(answer.at("/data/flags").asInt() & 64).as("ephemeral").isEqualTo(64);
        discord.release();
        await("both broadcasts are sent").atMost(WAIT).until(() -> discord.followUps(first).toString().contains("Sent to")
                && discord.followUps(second).toString().contains("Sent to"));
        assertThat(bot.service().state().live().values()).as("the refused request never runs")
                .noneMatch(r -> r.owner().equals(DiscordUsers.user(BEN)));
        assertThat(discord.followUps(refused)).isEmpty();
    }

    @Test
    void diskCommandsAreASubcommandGroupAndABusyDiskIsRefusedNamingTheServerThatHasIt() {
        var put = discord.calls("PUT", "/applications/" + FakeDiscord.APP + "/guilds/" + FakeDiscord.GUILD + "/commands");
        assertThat(put.getFirst().body().toString()).contains("\"name\":\"disk\"").contains("\"name\":\"restore\"");
        long create = discord.nextId();
        discord.deliver(group("disk", create, ANA, "create", "name", "data", "size", 50));
        await("created").atMost(WAIT).until(() -> discord.followUps(create).toString().contains("Created disk `data` (50 GiB)"));

        reserve(ANA, "h100", 1, "1h", "disk", "data");
        await("Ana's server is up").atMost(WAIT).until(() -> bot.service().state().live().values().stream()
                .anyMatch(r -> r.state() == ReservationState.ACTIVE));
        Reservation first = only(ANA);
        assertThat(first.options().disk()).hasToString("data");

        long again = reserve(ANA, "h100", 1, "1h", "disk", "data");
        await("refused").atMost(WAIT).until(() -> discord.followUps(again).toString().contains("mounted by server " + first.id()));
        long list = discord.nextId();
        discord.deliver(group("disk", list, ANA, "list"));
        await("listed").atMost(WAIT).until(() -> discord.followUps(list).toString().contains("mounted by `" + first.id() + "`"));
        assertThat(bot.service().state().live()).hasSize(1);
    }

    private com.fasterxml.jackson.databind.node.ObjectNode group(String name, long id, long user, String sub, Object... options) {
        var d = discord.slash(id, user, sub, options);
        var subcommand = (com.fasterxml.jackson.databind.node.ObjectNode) d.at("/data/options/0");
        var group = d.with("data").putArray("options").addObject().put("name", name).put("type", 2);
        group.putArray("options").add(subcommand);
        return d;
    }

    private com.fasterxml.jackson.databind.node.ObjectNode adminCommand(long id, long user, String sub, Object... options) {
        var d = discord.slash(id, user, sub, options);
        var subcommand = (com.fasterxml.jackson.databind.node.ObjectNode) d.at("/data/options/0");
        var group = d.with("data").putArray("options").addObject().put("name", "admin").put("type", 2);
        group.putArray("options").add(subcommand);
        return d;
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private long reserve(long user, String type, int count, String duration, Object... more) {
        long id = discord.nextId();
        Object[] options = java.util.stream.Stream.concat(java.util.stream.Stream.of("type", type, "count", count, "duration", duration),
                java.util.Arrays.stream(more)).toArray();
        discord.deliver(discord.slash(id, user, "reserve", options));
        await("the command is answered").atMost(WAIT).until(() -> !discord.callbacks(id).isEmpty());
        return id;
    }

    private long press(long user, String customId, FakeDiscord.Stored on) {
        long id = discord.nextId();
        discord.deliver(discord.press(id, user, customId, on, false));
        return id;
    }

    /** The user's first DM: the one message of their reservation. */
    private FakeDiscord.Stored main(long user) {
        List<FakeDiscord.Stored> dm = discord.messagesIn(FakeDiscord.dmChannel(user));
        return dm.isEmpty() ? new FakeDiscord.Stored(0, 0, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), 0)
                : dm.getFirst();
    }

    private Reservation only(long user) {
        var mine = bot.service().state().live().values().stream().filter(r -> r.owner().equals(DiscordUsers.user(user))).toList();
        assertThat(mine).hasSize(1);
        return mine.getFirst();
    }

    private static String text(FakeDiscord.Stored m) {
        return m.body().path("content").asText() + " " + m.body().path("embeds").toString();
    }

    private static List<String> customIds(FakeDiscord.Stored m) {
        return m.body().path("components").findValuesAsText("custom_id");
    }

    private static Optional<JsonNode> find(JsonNode options, String name) {
        for (JsonNode o : options) {
            if (o.path("name").asText().equals(name)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
