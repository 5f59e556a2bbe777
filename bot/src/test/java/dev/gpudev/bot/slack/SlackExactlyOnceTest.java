package dev.gpudev.bot.slack;

import static dev.gpudev.bot.slack.SlackHarness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import dev.gpudev.bot.conversation.ReserveForm;
import dev.gpudev.bot.sandbox.SignedSlackClient;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;

/**
 * Through the signed route: a double click or a second delivery of one Slack request has one effect and the same
 * answer; bad input is answered in the ack (never a 5xx, never "Reserving…" for what cannot be placed); lookups
 * see the caller's own reservations.
 */
class SlackExactlyOnceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private SlackHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new SlackHarness(Map.of("slack.admins", "U0ADMIN"));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private Reservation active(String text, String user) throws Exception {
        h.command(text, user);
        await().atMost(WAIT).until(() -> h.bot.service().state().live().values().stream()
                .anyMatch(r -> r.owner().value().equals(user) && r.state() == ReservationState.ACTIVE));
        return h.bot.service().state().live().values().stream().filter(r -> r.owner().value().equals(user)).findFirst().orElseThrow();
    }

    private List<String> answers(String user, String containing) {
        return h.responses(user).stream().filter(b -> b.contains(containing)).toList();
    }

    @Test
    void twoConcurrentClicksOfOneExtendButtonExtendOnceAndAnswerAlike() throws Exception {
        Reservation r = active("reserve h100 2 1h", "U0ANA");
        String token = r.id() + "|0";
        try (ExecutorService two = Executors.newFixedThreadPool(2)) {
            Callable<HttpResponse<String>> click = () -> h.press("extend_1h", token, "U0ANA", "1700000000.000300");
            List<Future<HttpResponse<String>>> clicks = two.invokeAll(List.of(click, click));
            for (Future<HttpResponse<String>> c : clicks) {
                assertThat(c.get().statusCode()).isEqualTo(200);
            }
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(answers("U0ANA", "Extended")).hasSize(2));
        List<String> both = answers("U0ANA", "Extended");
        assertThat(both.get(0)).contains("now ends at").isEqualTo(both.get(1));
        assertThat(h.bot.service().state().find(r.id()).orElseThrow().endsAt()).isEqualTo(r.endsAt().plus(Duration.ofHours(1)));
    }

    @Test
    void theSameSignedExtendDeliveredTwiceExtendsOnce() throws Exception {
        Reservation r = active("reserve h100 2 1h", "U0ANA");
        String body = SignedSlackClient.commandBody("/gpu", "extend 1h", "U0ANA", h.slackApi.baseUrl() + "/response/U0ANA");

        assertThat(h.slack.post(body).statusCode()).isEqualTo(200);
        await().atMost(WAIT).untilAsserted(() -> assertThat(answers("U0ANA", "Extended")).hasSize(1));
        assertThat(h.slack.post(body).statusCode()).isEqualTo(200);
        await().atMost(WAIT).untilAsserted(() -> assertThat(answers("U0ANA", "Extended")).hasSize(2));

        assertThat(answers("U0ANA", "Extended").get(1)).isEqualTo(answers("U0ANA", "Extended").get(0));
        assertThat(h.bot.service().state().find(r.id()).orElseThrow().endsAt()).isEqualTo(r.endsAt().plus(Duration.ofHours(1)));
        // a new command (a new trigger) is a new extension
        h.command("extend 1h", "U0ANA");
        await().atMost(WAIT).until(() -> h.bot.service().state().find(r.id()).orElseThrow().endsAt().equals(r.endsAt().plus(Duration.ofHours(2))));
    }

    @Test
    void theSameAdminCommandDeliveredTwiceActsOnceAndAnswersAlike() throws Exception {
        active("reserve h100 2 1h", "U0ANA");
        String broadcast = SignedSlackClient.commandBody("/gpu", "admin broadcast maintenance at 18:00", "U0ADMIN",
                h.slackApi.baseUrl() + "/response/U0ADMIN");

        h.slack.post(broadcast);
        await().atMost(WAIT).untilAsserted(() -> assertThat(answers("U0ADMIN", "Sent to")).hasSize(1));
        h.slack.post(broadcast);
        await().atMost(WAIT).untilAsserted(() -> assertThat(answers("U0ADMIN", "Sent to")).hasSize(2));

        assertThat(answers("U0ADMIN", "Sent to")).allMatch(b -> b.contains("Sent to 1 people"));
        assertThat(h.sent("chat.postMessage")).filteredOn(b -> b.contains("maintenance at 18:00")).hasSize(1);
    }

    @Test
    void anAdminDrainReplayedAfterAnUndrainDoesNotDrainAgain() throws Exception {
        String drain = SignedSlackClient.commandBody("/gpu", "admin drain h100-sim-1", "U0ADMIN", h.slackApi.baseUrl() + "/response/U0ADMIN");
        h.slack.post(drain);
        await().atMost(WAIT).untilAsserted(() -> assertThat(answers("U0ADMIN", "Drained h100-sim-1")).hasSize(1));
        h.command("admin undrain h100-sim-1", "U0ADMIN");
        await().atMost(WAIT).untilAsserted(() -> assertThat(answers("U0ADMIN", "Undrained h100-sim-1")).hasSize(1));

        h.slack.post(drain);
        await().atMost(WAIT).untilAsserted(() -> assertThat(answers("U0ADMIN", "Drained h100-sim-1")).hasSize(2));
        assertThat(h.bot.service().state().drained()).isEmpty();
    }

    static final List<Named<String[]>> REFUSED_IN_THE_ACK = List.of(
            Named.of("unknown type", new String[] {"reserve x100 4 2h", "There is no GPU type `x100`"}),
            Named.of("count no node holds", new String[] {"reserve h100 3 2h", "Choose one of 1, 2, 4, 8"}),
            Named.of("count beyond int (was HTTP 500)", new String[] {"reserve h100 99999999999x8 2h", "`99999999999x8` is too many GPUs"}),
            Named.of("count that wrapped to 0", new String[] {"reserve h100 65536x65536 2h", "`65536x65536` is too many GPUs"}),
            Named.of("many but readable", new String[] {"reserve h100 4096 2h", "4096 is too many GPUs; at most"}),
            Named.of("absurd duration", new String[] {"reserve h100 4 99999999999h", "`99999999999h` is too long"}),
            Named.of("scientific duration", new String[] {"reserve h100 4 1e9m", "`1e9m` is neither a GPU count nor a duration"}),
            Named.of("too long for the limits", new String[] {"reserve h100 4 30h", "from 5m to 24h"}));

    @ParameterizedTest
    @FieldSource("REFUSED_IN_THE_ACK")
    void aRequestThatCannotBePlacedIsRefusedInTheAckWithWhatWouldWork(String[] c) throws Exception {
        HttpResponse<String> ack = h.command(c[0], "U0ANA");

        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(text(ack.body())).contains(c[1]).doesNotContain("Reserving");
        assertThat(h.bot.service().state().live()).isEmpty();
    }

    @Test
    void aValidRequestIsStillAckedWithReserving() throws Exception {
        assertThat(text(h.command("reserve h100 4 2h", "U0ANA").body())).contains("Reserving 4 × h100 for 2h");
        await().atMost(WAIT).until(() -> h.bot.service().state().live().size() == 1);
    }

    static final List<Named<String[]>> FORM_ERRORS = List.of(
            Named.of("unknown type", new String[] {"x100", "4", "PT2H", "type", "There is no GPU type"}),
            Named.of("count no node holds", new String[] {"h100", "3", "PT2H", "gpus", "Choose one of"}),
            Named.of("count that is no number", new String[] {"h100", "99999999999", "PT2H", "gpus", "Choose how many GPUs"}),
            Named.of("duration that is no preset", new String[] {"h100", "4", "P9999D", "duration", "Choose a duration"}));

    @ParameterizedTest
    @FieldSource("FORM_ERRORS")
    void aFormThatCannotBePlacedIsAnsweredNextToTheField(String[] c) throws Exception {
        var res = h.slack.post(SignedSlackClient.viewSubmissionBody(ReserveForm.ID, "U0ANA",
                Map.of("type", SlackHarness.selected(c[0]), "gpus", SlackHarness.selected(c[1]), "duration", SlackHarness.selected(c[2]))));

        assertThat(res.statusCode()).isEqualTo(200);
        JsonObject body = JsonParser.parseString(res.body()).getAsJsonObject();
        assertThat(body.get("response_action").getAsString()).isEqualTo("errors");
        assertThat(body.getAsJsonObject("errors").get(c[3]).getAsString()).contains(c[4]);
        assertThat(h.bot.service().state().live()).isEmpty();
    }

    @Test
    void showSeesOnlyTheCallersOwnReservationsAndAnAdminEveryones() throws Exception {
        Reservation bos = active("reserve h100 1 1h", "U0BO");

        String mine = text(h.command("show h", "U0ANA").body());
        assertThat(mine).contains("You have no reservation `h`").doesNotContain(bos.id().value());
        assertThat(text(h.command("show " + bos.id(), "U0ANA").body())).contains("You have no reservation").doesNotContain("U0BO");
        assertThat(text(h.command("show h", "U0ADMIN").body())).contains(bos.id().value());
    }

    @Test
    void anotherUsersPrefixMatchDoesNotBlockMyOwnExtend() throws Exception {
        active("reserve h100 1 1h", "U0BO");
        active("reserve h100 2 1h", "U0BO");
        Reservation mine = active("reserve h100 1 1h", "U0ANA");

        h.command("extend h 1h", "U0ANA");

        await().atMost(WAIT).untilAsserted(() -> assertThat(answers("U0ANA", "Extended " + mine.id())).hasSize(1));
        assertThat(h.bot.service().state().find(mine.id()).orElseThrow().endsAt()).isEqualTo(mine.endsAt().plus(Duration.ofHours(1)));
    }
}
