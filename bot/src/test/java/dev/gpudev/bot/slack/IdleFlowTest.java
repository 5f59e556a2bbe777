package dev.gpudev.bot.slack;

import static dev.gpudev.bot.slack.SlackHarness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;

/**
 * The idle policy through the signed Slack route, with the simulated telemetry: the question DM with Keep and Release,
 * who may press them, a double click, the release after the grace while someone waits and the owner told why, a Keep
 * after it, `/gpu show`, `/gpu help` and the admins' exemptions.
 */
class IdleFlowTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private SlackHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new SlackHarness(Map.of("slack.admins", "U0ADMIN", "telemetry.source", "simulated"));
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

    private Reservation now(Reservation r) {
        return h.bot.service().state().find(r.id())
                .or(() -> h.bot.service().history(r.owner(), 10).stream().filter(x -> x.id().equals(r.id())).findFirst()).orElseThrow();
    }

    private List<String> questions(Reservation r) {
        return h.sent("chat.postMessage").stream().filter(b -> b.contains("Still using it?") && b.contains(r.id().value())).toList();
    }

    private List<String> answers(String user, String containing) {
        return h.responses(user).stream().map(b -> b.startsWith("{") ? text(b) : b).filter(b -> b.contains(containing)).toList();
    }

    /** Two full servers, the second busy; 31 minutes later the idle one's owner is asked. */
    private Reservation askedWhileTheOtherIsBusy() throws Exception {
        Reservation ana = active("reserve h100 8 5h", "U0ANA");
        Reservation bo = active("reserve h100 8 5h", "U0BO");
        assertThat(h.bot.simulatedGpus().orElseThrow().console(":busy " + bo.id())).hasValueSatisfying(s -> assertThat(s).contains("85 %"));
        h.clock.advance(Duration.ofMinutes(31));
        await().atMost(WAIT).until(() -> now(ana).idle().shownAt() != null);
        assertThat(questions(bo)).as("a busy server is not asked about").isEmpty();
        assertThat(now(bo).idle().questions()).isZero();
        return ana;
    }

    @Test
    void theOwnerOfAnIdleServerIsAskedWithKeepAndReleaseAndOnlyTheOwnerMayKeepItOnceForADoubleClick() throws Exception {
        Reservation ana = askedWhileTheOtherIsBusy();
        assertThat(questions(ana)).singleElement().satisfies(b -> assertThat(b)
                .contains("*" + ana.id() + "* has used its 8 GPUs 0 % for the last 30 min. Still using it?")
                .contains("\"action_id\":\"idle_keep\"", "\"action_id\":\"idle_release\"", "*Keep* silences this for 2 h"));

        assertThat(text(h.command("show " + ana.id(), "U0ANA").body())).contains("Idle GPUs for 30m (since ", "Idle questions asked: 1, the latest at ");

        h.press("idle_keep", ana.id().value(), "U0BO", "1700000000.000900");
        await().atMost(WAIT).untilAsserted(() -> assertThat(answers("U0BO", "is not yours")).hasSize(1));
        assertThat(now(ana).idle().keptUntil()).isNull();

        h.press("idle_keep", ana.id().value(), "U0ANA", "1700000000.000900");
        await().atMost(WAIT).untilAsserted(() -> assertThat(answers("U0ANA", "Kept")).hasSize(1));
        var kept = now(ana).idle();
        assertThat(kept.keptUntil()).isEqualTo(h.clock.instant().plus(Duration.ofHours(2)));
        assertThat(kept.askedAt()).isNull();
        h.clock.advance(Duration.ofMinutes(1));
        h.press("idle_keep", ana.id().value(), "U0ANA", "1700000000.000900");
        await().atMost(WAIT).untilAsserted(() -> assertThat(answers("U0ANA", "Kept")).hasSize(2));
        assertThat(answers("U0ANA", "Kept").get(1)).isEqualTo(answers("U0ANA", "Kept").get(0));
        assertThat(now(ana).idle()).as("the double click kept once").isEqualTo(kept);
    }

    @Test
    void unansweredPastTheGraceWhileSomeoneWaitsItIsReleasedTheOwnerToldWhyAndAKeepAfterSaysSo() throws Exception {
        Reservation ana = askedWhileTheOtherIsBusy();
        h.command("reserve h100 4 1h", "U0CY");
        await().atMost(WAIT).until(() -> !h.bot.service().state().queue("h100").isEmpty());
        h.clock.advance(Duration.ofMinutes(21));
        await().atMost(WAIT).until(() -> now(ana).state() == ReservationState.ENDED);
        assertThat(now(ana).endReason()).isEqualTo(EndReason.RECLAIMED_IDLE);
        await().atMost(WAIT).untilAsserted(() -> assertThat(h.sent("chat.update")).anySatisfy(b -> assertThat(b)
                .contains("*" + ana.id() + "* was released because its GPUs sat idle while others waited (its 8 GPUs were below 5 %"
                        + " for 30 min, the question shown at")));
        await().atMost(WAIT).until(() -> h.bot.service().state().live().values().stream()
                .anyMatch(r -> r.owner().value().equals("U0CY") && r.state().holdsGpus()));

        h.press("idle_keep", ana.id().value(), "U0ANA", "1700000000.000901");
        await().atMost(WAIT).untilAsserted(() -> assertThat(answers("U0ANA", "Too late to keep it")).singleElement()
                .satisfies(b -> assertThat(b).contains("has already ended (its 8 GPUs were below 5 %", "/gpu reserve")));
    }

    @Test
    void releaseOnTheQuestionReleasesOnceAndHelpAndTheAdminsExemptionsSpeakThePolicy() throws Exception {
        Reservation ana = askedWhileTheOtherIsBusy();
        h.press("idle_release", ana.id().value(), "U0ANA", "1700000000.000902");
        h.press("idle_release", ana.id().value(), "U0ANA", "1700000000.000902");
        await().atMost(WAIT).untilAsserted(() -> assertThat(answers("U0ANA", "Cancelled " + ana.id())).hasSize(2));
        assertThat(now(ana).endReason()).isEqualTo(EndReason.CANCELLED);

        assertThat(text(h.command("help", "U0ANA").body())).contains("*Idle GPUs*  GPUs below 5 % for 30 min",
                "*Keep* (quiet for 2 h)", "No answer within 20 min while others wait for that type: it is released.",
                "Nobody waiting: nothing is released.");

        assertThat(text(h.command("admin exempt team:vision", "U0ANA").body())).contains("Only admins");
        h.command("admin exempt <@U0BO|bo>", "U0ADMIN");
        h.command("admin exempt team:vision", "U0ADMIN");
        h.command("admin exempt h100-nope", "U0ADMIN");
        await().atMost(WAIT).untilAsserted(() -> assertThat(answers("U0ADMIN", "is now exempt from the idle policy")).hasSize(2));
        await().atMost(WAIT).untilAsserted(() -> assertThat(answers("U0ADMIN", "Exempt a user (`@ana`), a team (`team:vision`) or a reservation by its id"))
                .singleElement().satisfies(b -> assertThat(b).contains("h100-nope")));
        h.command("admin unexempt team:vision", "U0ADMIN");
        h.command("admin exempt", "U0ADMIN");
        await().atMost(WAIT).untilAsserted(() -> assertThat(answers("U0ADMIN", "Exempt from the idle policy: <@U0BO>.")).hasSize(1));
    }
}
