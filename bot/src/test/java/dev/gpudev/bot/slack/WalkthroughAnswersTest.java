package dev.gpudev.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;

/** Answers found wrong in issue 17's sandbox walkthrough, through the signed route. */
class WalkthroughAnswersTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void extendSaysTheNewEndAsATimeTheReaderSeesInTheirZoneNotAnIsoInstant() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            h.command("reserve h100 1 1h", "U0ANA");
            await().atMost(WAIT).until(() -> !h.bot.service().state().live().isEmpty() && h.only().state() == ReservationState.ACTIVE);
            h.command("extend 1h", "U0ANA");
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.responses("U0ANA")).anyMatch(b -> b.contains("now ends at")));
            Reservation r = h.only();
            String answer = JsonParser.parseString(h.responses("U0ANA").stream().filter(b -> b.contains("now ends at")).findFirst().orElseThrow())
                    .getAsJsonObject().get("text").getAsString();
            assertThat(answer).contains("<!date^" + r.endsAt().getEpochSecond() + "^{time}|")
                    .doesNotContainPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d");
        }
    }

    @Test
    void anAdminNamesASandboxUserWithAShortIdInList() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of("slack.admins", "U0ADMIN"))) {
            h.command("reserve h100 1 1h", "U0BO");
            await().atMost(WAIT).until(() -> !h.bot.service().state().live().isEmpty());
            String id = h.only().id().toString();
            String ack = SlackHarness.text(h.command("list @U0BO", "U0ADMIN").body());
            assertThat(ack).doesNotContain("is not a user");
            await().atMost(WAIT).untilAsserted(() -> assertThat(ack + String.join("\n", h.responses("U0ADMIN"))).contains(id));
            assertThat(SlackHarness.text(h.command("list @ana", "U0ADMIN").body())).contains("is not a user");
        }
    }

    @Test
    void restoringOrDeletingAMountedDiskSaysHowToFreeItNotHowToReserve() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            h.command("disk create data 50", "U0ANA");
            h.command("reserve h100 1 1h --disk data", "U0ANA");
            await().atMost(WAIT).until(() -> !h.bot.service().state().live().isEmpty() && h.only().state() == ReservationState.ACTIVE);
            String id = h.only().id().toString();
            h.command("disk snapshot data", "U0ANA");
            await().atMost(WAIT).until(() -> h.responses("U0ANA").stream().anyMatch(b -> b.contains("of `data` taken")));
            for (String command : new String[] {"disk restore data", "disk delete data"}) {
                int before = h.responses("U0ANA").size();
                h.command(command, "U0ANA");
                await().atMost(WAIT).until(() -> h.responses("U0ANA").size() > before);
                assertThat(h.responses("U0ANA").getLast()).as(command).contains("is mounted by server " + id)
                        .doesNotContain("reserve without");
            }
        }
    }
}
