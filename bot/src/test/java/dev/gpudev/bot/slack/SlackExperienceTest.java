package dev.gpudev.bot.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.gpudev.bot.slack.SlackHarness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import dev.gpudev.bot.conversation.ReserveForm;
import dev.gpudev.bot.sandbox.SignedSlackClient;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;

/** Each command, button and view of issue 7 through the signed route and a recording Slack Web API. */
class SlackExperienceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static Reservation activeReservation(SlackHarness h, String text) throws Exception {
        h.command(text, "U0ANA");
        await().atMost(WAIT).until(() -> !h.bot.service().state().live().isEmpty()
                && h.only().state() == ReservationState.ACTIVE);
        return h.only();
    }

    @Test
    void reserveWithoutArgumentsOpensTheFormAndItsSubmissionReserves() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            var ack = h.command("reserve", "U0ANA");
            assertThat(ack.statusCode()).isEqualTo(200);
            assertThat(h.sent("views.open")).singleElement().satisfies(b -> assertThat(b)
                    .contains("\"callback_id\":\"reserve_modal\"").contains("H100 — 16/16 free").contains("trigger_id="));

            var wrong = h.slack.post(SignedSlackClient.viewSubmissionBody(ReserveForm.ID, "U0ANA",
                    Map.of("type", SlackHarness.selected("h100"), "gpus", SlackHarness.selected("2"), "custom", SlackHarness.typed("soon"))));
            assertThat(JsonParser.parseString(wrong.body()).getAsJsonObject().get("response_action").getAsString()).isEqualTo("errors");
            assertThat(wrong.body()).contains("custom").contains("90m");
            assertThat(h.bot.service().state().live()).isEmpty();

            var right = h.slack.post(SignedSlackClient.viewSubmissionBody(ReserveForm.ID, "U0ANA",
                    Map.of("type", SlackHarness.selected("h100"), "gpus", SlackHarness.selected("2"), "duration", SlackHarness.selected("PT1H"))));
            assertThat(right.statusCode()).isEqualTo(200);
            await().atMost(WAIT).until(() -> !h.bot.service().state().live().isEmpty());
            assertThat(h.only().gpus()).isEqualTo(2);
            assertThat(h.only().duration()).isEqualTo(Duration.ofHours(1));
        }
    }

    @Test
    void oneDmIsUpdatedInPlaceFromStartingToReadyToEndedWithRemindersBetween() throws Exception {
        // A server ready at once overtakes its "starting" DM (the notifier skips a notice already out of date).
        try (SlackHarness h = new SlackHarness(Map.of("cluster.simulated.ready-delay", "PT1S"))) {
            Reservation r = activeReservation(h, "reserve h100 8 1h");
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.sent("chat.postMessage"))
                    .anyMatch(b -> b.contains("thread_ts=1700000000.000100") && b.contains("is ready")));
            assertThat(h.sent("chat.update")).anyMatch(b -> b.contains("is ready")).allMatch(b -> b.contains("ts=1700000000.000100"));
            assertThat(h.sent("conversations.open")).hasSize(1);
            assertThat(h.sent("chat.postMessage").getFirst()).contains("Starting").contains(r.id().value());

            h.clock.advance(Duration.ofMinutes(30));
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.sent("chat.postMessage")).anyMatch(b -> b.contains("ends in 30m")));
            h.clock.advance(Duration.ofMinutes(15));
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.sent("chat.postMessage")).anyMatch(b -> b.contains("ends in 15m")));
            h.clock.advance(Duration.ofMinutes(10));
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.sent("chat.postMessage"))
                    .anyMatch(b -> b.contains("ends in 5m") && b.contains("copy what you need")));
            h.clock.advance(Duration.ofMinutes(5));
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.sent("chat.update")).anyMatch(b -> b.contains("has ended")));
            assertThat(h.sent("chat.postMessage").stream().filter(b -> b.contains("ends in")).count()).isEqualTo(3);
        }
    }

    @Test
    void aRequestThatMustWaitIsToldItsPlaceAndWhenItShouldStart() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            h.command("reserve h100 8 2h", "U0ANA");
            h.command("reserve h100 8 1h", "U0BO");
            await().atMost(WAIT).until(() -> h.bot.service().state().live().values().stream()
                    .filter(r -> r.state() == ReservationState.ACTIVE).count() == 2);
            h.command("reserve h100 4 1h", "U0CY");
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.sent("chat.postMessage"))
                    .anyMatch(b -> b.contains("is queued, #1 in line, expected to start around") && b.contains("10:00 UTC")));
            assertThat(text(h.command("availability", "U0ANA").body())).contains("*h100*: 0/16 free, 1 queued").contains("GPUs ~");
        }
    }

    private static void rateLimitOnce(SlackHarness h) {
        h.slackApi.stubFor(post("/api/chat.postMessage").inScenario("limited").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("{\"ok\":false,\"error\":\"ratelimited\"}"))
                .willSetStateTo("open"));
        h.slackApi.stubFor(post("/api/chat.postMessage").inScenario("limited").whenScenarioStateIs("open")
                .willReturn(okJson("{\"ok\":true,\"channel\":\"D0ANA\",\"ts\":\"1700000000.000100\"}")));
    }

    @Test
    void aRateLimitedReminderIsRetriedAfterRetryAfterAndRecordedAsDelivered() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            Reservation r = activeReservation(h, "reserve h100 1 1h");
            await().atMost(WAIT).until(() -> h.only().shown() == ReservationState.ACTIVE);
            rateLimitOnce(h);
            h.clock.advance(Duration.ofMinutes(30));
            await().atMost(WAIT).until(() -> Duration.ofMinutes(30).equals(h.only().reminded()));
            List<ServeEvent> reminders = h.slackApi.getAllServeEvents().stream()
                    .filter(e -> e.getRequest().getUrl().equals("/api/chat.postMessage") && URLDecoder.decode(e.getRequest().getBodyAsString(), StandardCharsets.UTF_8).contains("ends in"))
                    .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate())).toList();
            assertThat(reminders).extracting(e -> e.getResponse().getStatus()).containsExactly(429, 200);
            assertThat(reminders.get(1).getRequest().getLoggedDate().getTime() - reminders.get(0).getRequest().getLoggedDate().getTime())
                    .as("waited for Retry-After").isGreaterThanOrEqualTo(1000);
            assertThat(h.only().id()).isEqualTo(r.id());
        }
    }

    @Test
    void aRateLimitedFirstMessageOvertakenByReadyNeverShowsAnOlderStateOverIt() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            rateLimitOnce(h);
            h.command("reserve h100 1 1h", "U0ANA");
            await().atMost(WAIT).until(() -> !h.bot.service().state().live().isEmpty() && h.only().shown() == ReservationState.ACTIVE);
            await("no older state shown later").during(Duration.ofMillis(1500)).atMost(WAIT)
                    .until(() -> h.sent("chat.update").stream().noneMatch(u -> u.contains("Starting")));
            List<String> main = new ArrayList<>(h.sent("chat.postMessage").stream().filter(b -> !b.contains("thread_ts")).toList());
            main.addAll(h.sent("chat.update"));
            assertThat(main.getLast()).contains("is ready");
            assertThat(h.sent("chat.update")).noneMatch(b -> b.contains("Starting"));
        }
    }

    @Test
    void extendButtonsExtendOnceEvenWhenClickedTwice() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            Reservation r = activeReservation(h, "reserve h100 2 1h");
            String token = r.id() + "|0";
            h.press("extend_1h", token, "U0ANA");
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.only().endsAt()).isEqualTo(r.endsAt().plus(Duration.ofHours(1))));
            h.press("extend_1h", token, "U0ANA");
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.responses("U0ANA")).filteredOn(b -> b.contains("now ends at")).hasSize(2));
            assertThat(h.only().endsAt()).isEqualTo(r.endsAt().plus(Duration.ofHours(1)));
            // the same drawing of the button on another message (a reminder) is outdated too
            h.press("extend_1h", token, "U0ANA", "1700000000.000200");
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.responses("U0ANA")).anyMatch(b -> b.contains("already extended from another click")));
            assertThat(h.only().endsAt()).isEqualTo(r.endsAt().plus(Duration.ofHours(1)));

            h.press("extend_4h", h.only().id() + "|60", "U0BO");
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.responses("U0BO")).anyMatch(b -> b.contains("is not yours")));
            assertThat(h.only().endsAt()).isEqualTo(r.endsAt().plus(Duration.ofHours(1)));
        }
    }

    @Test
    void cancelAsksFirstAndOffersAChoiceWhenSeveralAreLive() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            h.command("reserve h100 1 1h", "U0ANA");
            h.command("reserve b200 1 1h", "U0ANA");
            await().atMost(WAIT).until(() -> h.bot.service().state().live().size() == 2);
            var ack = h.command("cancel", "U0ANA");
            assertThat(ack.body()).contains("Which one?").contains("cancel_confirmed");
            assertThat(h.bot.service().state().live()).hasSize(2);
            String id = h.bot.service().state().live().keySet().iterator().next().value();
            assertThat(h.command("cancel " + id, "U0ANA").body()).contains("Are you sure?");
            h.press("cancel_confirmed", id, "U0ANA");
            await().atMost(WAIT).until(() -> h.bot.service().state().live().size() == 1);
        }
    }

    @Test
    void listAvailabilityQueueAndShowAnswerEphemerally() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            Reservation r = activeReservation(h, "reserve h100 4 2h");
            assertThat(text(h.command("list", "U0ANA").body())).contains(r.id().value()).contains("active on h100-sim-1");
            assertThat(text(h.command("availability", "U0ANA").body())).contains("*h100*: 12/16 free").contains("h100-sim-1 4/8");
            assertThat(text(h.command("queue", "U0ANA").body())).contains("Nobody is waiting");
            assertThat(text(h.command("show " + r.id().value().substring(0, 7), "U0ANA").body()))
                    .contains("ssh dev@h100-sim-1").contains("HostName h100-sim-1.sandbox.gpu-dev.local");
        }
    }

    @Test
    void adminCommandsNeedAnAdmin() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of("slack.admins", "U0ADMIN,U0OTHER"))) {
            assertThat(text(h.command("admin drain h100-sim-1", "U0ANA").body())).contains("Only admins");
            h.command("admin drain h100-sim-1", "U0ADMIN");
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.responses("U0ADMIN")).anyMatch(b -> b.contains("Drained h100-sim-1")));
            assertThat(text(h.command("availability", "U0ANA").body())).contains("h100-sim-1 0/8 (drained)");
        }
    }

    @Test
    void theQueueChannelMessageIsEditedInPlaceAndPostedAgainWhenDeleted() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of("slack.queue-channel", "C0QUEUE", "slack.status-min-interval", "PT0.05S"))) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.sent("chat.postMessage")).anyMatch(b -> b.contains("channel=C0QUEUE")));
            h.command("reserve h100 8 1h", "U0ANA");
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.sent("chat.update"))
                    .anyMatch(b -> b.contains("channel=C0QUEUE") && b.contains("*h100*: 8/16 free")));

            h.slackApi.stubFor(post("/api/chat.update").atPriority(1).withRequestBody(containing("C0QUEUE"))
                    .inScenario("deleted").whenScenarioStateIs(STARTED)
                    .willReturn(okJson("{\"ok\":false,\"error\":\"message_not_found\"}")).willSetStateTo("reposted"));
            h.command("reserve h100 8 1h", "U0BO");
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.sent("chat.postMessage").stream()
                    .filter(b -> b.contains("channel=C0QUEUE")).count()).isEqualTo(2));
        }
    }

    @Test
    void openingAppHomePublishesMyReservationsAndAvailability() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            Reservation r = activeReservation(h, "reserve h100 1 1h");
            JsonObject event = new JsonObject();
            event.addProperty("type", "app_home_opened");
            event.addProperty("user", "U0ANA");
            event.addProperty("channel", "D0ANA");
            event.addProperty("tab", "home");
            assertThat(h.slack.post(SignedSlackClient.eventBody(event)).statusCode()).isEqualTo(200);
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.sent("views.publish")).singleElement().satisfies(b -> assertThat(b)
                    .contains("user_id=U0ANA").contains("Your GPU servers").contains(r.id().value()).contains("Free now")));
        }
    }
}
