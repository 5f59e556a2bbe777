package dev.gpudev.bot.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static dev.gpudev.bot.slack.SlackHarness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gpudev.bot.conversation.Actions;
import dev.gpudev.bot.conversation.ReserveForm;
import dev.gpudev.bot.sandbox.SignedSlackClient;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;

/**
 * Advance booking through the signed route: the start is read in the zone Slack's {@code users.info} gives, the answers
 * are in it, and the booking starts at its time. T0 is Monday 2 Nov 2026 09:00 UTC, 10:00 in Berlin.
 */
class SlackBookingTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static SlackHarness berlin() throws Exception {
        SlackHarness h = new SlackHarness(Map.of());
        h.slackApi.stubFor(post("/api/users.info").willReturn(okJson("""
                {"ok":true,"user":{"id":"U0ANA","tz":"Europe/Berlin"}}""")));
        return h;
    }

    @Test
    void aBookingIsReadAndAnsweredInTheUsersZoneListedAndStartsOnTime() throws Exception {
        try (SlackHarness h = berlin()) {
            var ack = h.command("reserve h100 8 1h --at \"tomorrow 9am\"", "U0ANA");
            assertThat(text(ack.body())).contains("Booking 8 × h100 for 1h from Tue 3 Nov 09:00 CET");
            await().atMost(WAIT).until(() -> !h.bot.service().state().live().isEmpty());
            Reservation booked = h.only();
            assertThat(booked.state()).isEqualTo(ReservationState.QUEUED);
            assertThat(booked.booking().startsAt()).isEqualTo(Instant.parse("2026-11-03T08:00:00Z"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.sent("chat.postMessage"))
                    .anyMatch(b -> b.contains("is booked from") && b.contains(booked.id().value())));

            assertThat(text(h.command("bookings", "U0ANA").body())).contains(booked.id().value()).contains("Tue 3 Nov 09:00 CET");
            assertThat(text(h.command("bookings h100", "U0BO").body())).contains(booked.id().value()).contains("<@U0ANA>");
            assertThat(text(h.command("bookings", "U0BO").body())).contains("You have no bookings");
            assertThat(text(h.command("queue", "U0BO").body())).as("a booking waits for its start, not in line")
                    .contains("• `" + booked.id() + "`").contains("— booked from").doesNotContain("1. `");

            h.clock.advance(Duration.ofHours(23));
            await().atMost(WAIT).until(() -> h.only().state() == ReservationState.ACTIVE);
            assertThat(h.only().updatedAt()).isBeforeOrEqualTo(Instant.parse("2026-11-03T08:01:00Z"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.sent("chat.update")).anyMatch(b -> b.contains(Actions.BOOKING_USED)));
            h.press(Actions.BOOKING_USED, booked.id().value(), "U0BO");
            h.press(Actions.BOOKING_USED, booked.id().value(), "U0ANA");
            await().atMost(WAIT).until(() -> h.only().booking().used());
        }
    }

    @Test
    void aBookingWithADiskThatDoesNotExistIsRefusedAndNothingIsBooked() throws Exception {
        try (SlackHarness h = berlin()) {
            h.command("reserve h100 1 1h --at \"in 2h\" --disk nope", "U0ANA");
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.responses("U0ANA"))
                    .anyMatch(b -> b.contains("Not booked: you have no disk named nope") && b.contains("/gpu disk create nope")));
            assertThat(h.bot.service().state().live()).isEmpty();

            h.command("disk create data 50", "U0ANA");
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.responses("U0ANA")).anyMatch(b -> b.contains("Created disk `data`")));
            h.command("reserve h100 1 1h --at \"in 2h\" --disk data", "U0ANA");
            await().atMost(WAIT).until(() -> h.bot.service().state().live().size() == 1);
            assertThat(h.only().options().disk()).hasToString("data");
            assertThat(text(h.command("list all", "U0BO").body())).as("a booking in the list says when it starts")
                    .contains("booked from").doesNotContain("queued since");
        }
    }

    @Test
    void aStartThatCannotBeReadOrPlacedIsAnsweredWithWhatWouldWork() throws Exception {
        try (SlackHarness h = berlin()) {
            assertThat(text(h.command("reserve h100 8 1h --at someday", "U0ANA").body()))
                    .contains("can't read the start `someday`").contains("Europe/Berlin");
            h.command("reserve h100 8 3h --at 14:00", "U0ANA");
            h.command("reserve h100 8 3h --at 14:00", "U0ANA");
            await().atMost(WAIT).until(() -> h.bot.service().state().live().size() == 2);
            h.command("reserve h100 8 2h --at 15:00", "U0ANA");
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.responses("U0ANA"))
                    .anyMatch(b -> b.contains("not free for 2h from Mon 2 Nov 15:00 CET") && b.contains("is free Mon 2 Nov 10:00–14:00 or Mon 2 Nov 17:15–…")));
            assertThat(h.bot.service().state().live()).hasSize(2);
        }
    }

    @Test
    void theReserveFormHasAStartFieldThatBooks() throws Exception {
        try (SlackHarness h = berlin()) {
            h.command("reserve", "U0ANA");
            assertThat(h.sent("views.open")).singleElement().satisfies(b -> assertThat(b).contains("Start later (a booking)"));
            var wrong = h.slack.post(SignedSlackClient.viewSubmissionBody(ReserveForm.ID, "U0ANA", Map.of("type", SlackHarness.selected("h100"),
                    "gpus", SlackHarness.selected("8"), "duration", SlackHarness.selected("PT1H"), "start", SlackHarness.typed("someday"))));
            assertThat(wrong.body()).contains("errors").contains("\"start\"").contains("not a start I can read").contains("Europe/Berlin");
            var right = h.slack.post(SignedSlackClient.viewSubmissionBody(ReserveForm.ID, "U0ANA", Map.of("type", SlackHarness.selected("h100"),
                    "gpus", SlackHarness.selected("8"), "duration", SlackHarness.selected("PT1H"), "start", SlackHarness.typed("tomorrow 9am"))));
            assertThat(right.statusCode()).isEqualTo(200);
            await().atMost(WAIT).until(() -> !h.bot.service().state().live().isEmpty());
            assertThat(h.only().booking().startsAt()).isEqualTo(Instant.parse("2026-11-03T08:00:00Z"));
        }
    }

    @Test
    void aBookingNobodyUsesIsReleasedAndCounted() throws Exception {
        try (SlackHarness h = berlin()) {
            h.command("reserve h100 8 2h --at \"in 10m\"", "U0ANA");
            await().atMost(WAIT).until(() -> !h.bot.service().state().live().isEmpty());
            Reservation booked = h.only();
            h.clock.advance(Duration.ofMinutes(10));
            await().atMost(WAIT).until(() -> h.only().state() == ReservationState.ACTIVE);
            h.clock.advance(Duration.ofMinutes(31));
            await().atMost(WAIT).until(() -> h.bot.service().state().live().isEmpty());
            assertThat(h.bot.service().state().find(booked.id())).isEmpty();
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.sent("chat.update")).anyMatch(b -> b.contains("nobody used the booking")));
            var metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.bot.port() + "/observe/metrics"))
                    .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).containsPattern("gpudev_bookings_unused_total(\\{[^}]*})? [1-9]");
        }
    }
}
