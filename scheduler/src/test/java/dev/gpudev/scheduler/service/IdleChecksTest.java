package dev.gpudev.scheduler.service;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.BO;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.idle.Exemptions;
import dev.gpudev.scheduler.idle.IdlePolicy;
import dev.gpudev.scheduler.idle.IdleRule;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.testing.FakeCluster;
import dev.gpudev.scheduler.testing.FakeGpus;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;
import dev.gpudev.scheduler.testing.RecordingNotifier;

/**
 * The idle poll over the service, the engine and a store, with telemetry the test sets and a front-end that confirms
 * deliveries only when the test says so: the grace starts when the question was shown, never earlier.
 */
class IdleChecksTest {
    private static final UserId CY = new UserId("U0CY");
    private static final IdlePolicy POLICY = new IdlePolicy(IdleRule.defaults(), Map.of(), Exemptions.NONE);
    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final InMemoryReservationStore store = new InMemoryReservationStore();
    private final FakeCluster cluster = new FakeCluster(Fixtures.nodes("h100", 2, 8));
    private final RecordingNotifier notifier = new RecordingNotifier();
    private final FakeGpus gpus = new FakeGpus();
    private ReservationService service;
    private IdleChecks idle;
    private Reservation ana;
    private Reservation bo;

    @BeforeEach
    void twoServersTheSecondBusy() {
        service = Fixtures.service(store, cluster, notifier, clock);
        service.start();
        idle = new IdleChecks(service, gpus, POLICY, store, user -> user.equals(BO) ? Set.of("vision") : Set.of());
        ana = active(ANA);
        bo = active(BO);
        gpus.busy(bo.id().value(), true);
    }

    private Reservation active(UserId who) {
        Reservation r = Fixtures.accepted(service, who, "reserve h100 8 5h");
        cluster.ready(r.id());
        return now(r);
    }

    private Reservation now(Reservation r) {
        return store.find(r.id()).orElseThrow();
    }

    private void after(Duration d) {
        clock.advance(d);
        service.tick();
        idle.check();
    }

    private Notice.IdleQuestion shown(Reservation r) {
        Notice.IdleQuestion q = notifier.of(Notice.IdleQuestion.class).stream().filter(n -> n.reservation().id().equals(r.id()))
                .reduce((a, b) -> b).orElseThrow();
        service.delivered(q, null);
        return q;
    }

    @Test
    void anIdleServerIsAskedOnceABusyOneNeverAndTheGraceStartsOnlyWhenTheQuestionWasShown() {
        after(Duration.ofMinutes(29));
        assertThat(notifier.of(Notice.IdleQuestion.class)).as("idle for less than the window").isEmpty();
        after(Duration.ofMinutes(2));
        idle.check();
        assertThat(notifier.of(Notice.IdleQuestion.class)).singleElement().satisfies(q -> {
            assertThat(q.reservation().id()).isEqualTo(ana.id());
            assertThat(q.meanUtil()).isZero();
            assertThat(q.idleFor()).isEqualTo(Duration.ofMinutes(30));
        });
        assertThat(now(ana).idle().questions()).isEqualTo(1);
        assertThat(now(ana).idle().idleSince()).isEqualTo(clock.instant().minus(Duration.ofMinutes(30)));
        assertThat(now(bo).idle()).as("busy: nothing written").isEqualTo(bo.idle());

        Fixtures.accepted(service, CY, "reserve h100 4 1h");
        after(Duration.ofMinutes(25));
        assertThat(now(ana).state()).as("not shown: the grace has not started").isEqualTo(ReservationState.ACTIVE);

        shown(ana);
        after(Duration.ofMinutes(19));
        assertThat(now(ana).state()).as("19 of 20 minutes of grace").isEqualTo(ReservationState.ACTIVE);
        after(Duration.ofMinutes(1));
        Reservation reclaimed = now(ana);
        assertThat(reclaimed.endReason()).isEqualTo(EndReason.RECLAIMED_IDLE);
        assertThat(reclaimed.detail()).isEqualTo("its 8 GPUs were below 5 % for 30 min, the question shown at 09:56 UTC went unanswered"
                + " for 20 min, and others wait for h100");
        assertThat(cluster.released).extracting(Reservation::id).containsExactly(ana.id());
        assertThat(notifier.of(Notice.Ended.class)).extracting(n -> n.reservation().id()).containsExactly(ana.id());
        assertThat(service.state().inState(ReservationState.PROVISIONING)).extracting(r -> r.owner()).containsExactly(CY);
        assertThat(notifier.of(Notice.IdleQuestion.class)).hasSize(1);
    }

    /**
     * A started booking nobody has confirmed is the unused-booking rule's (released as UNUSED after its grace): the idle
     * question, whose Keep would not confirm it, is not asked before "I'm using it"; after it the idle policy applies.
     */
    @Test
    void aStartedBookingIsNotAskedAboutIdleGpusBeforeItsOwnerConfirmedIt() {
        service.cancel(ana.owner(), ana.id().value(), false);
        IdleRule d = IdleRule.defaults();
        idle = new IdleChecks(service, gpus, new IdlePolicy(new IdleRule(true, d.threshold(), Duration.ofMinutes(10), d.grace(), d.snooze(), d.maxGap()),
                Map.of(), Exemptions.NONE), store, user -> Set.of());
        var booked = service.book(CY, false, (Command.Reserve) CommandParser.parse("reserve h100 8 2h"), clock.instant().plus(Duration.ofMinutes(10)),
                ZoneOffset.UTC, null);
        Reservation b = ((ReserveOutcome.Accepted) booked).reservation();
        after(Duration.ofMinutes(10));
        cluster.ready(b.id());
        assertThat(now(b).state()).isEqualTo(ReservationState.ACTIVE);
        after(Duration.ofMinutes(5));
        after(Duration.ofMinutes(6));
        after(Duration.ofMinutes(18));
        assertThat(now(b).state()).as("within the unused grace").isEqualTo(ReservationState.ACTIVE);
        assertThat(notifier.of(Notice.IdleQuestion.class)).as("idle for the window, but not confirmed yet").isEmpty();

        service.useBooking(CY, b.id().value(), false);
        after(Duration.ofMinutes(1));
        assertThat(notifier.of(Notice.IdleQuestion.class)).singleElement().satisfies(q -> assertThat(q.reservation().id()).isEqualTo(b.id()));
    }

    @Test
    void withNobodyWaitingNothingIsReclaimedAndTheQuestionStays() {
        after(Duration.ofMinutes(31));
        shown(ana);
        var asked = now(ana).idle();
        after(Duration.ofHours(3));
        assertThat(now(ana).state()).isEqualTo(ReservationState.ACTIVE);
        assertThat(now(ana).idle()).isEqualTo(asked);
        assertThat(notifier.of(Notice.IdleQuestion.class)).hasSize(1);
    }

    @Test
    void busyAgainWithdrawsTheQuestionAndKeepSilencesItForTheSnooze() {
        after(Duration.ofMinutes(31));
        shown(ana);
        gpus.busy(ana.id().value(), true);
        after(Duration.ofMinutes(1));
        assertThat(now(ana).idle().askedAt()).isNull();
        assertThat(now(ana).idle().idleSince()).isNull();

        gpus.busy(ana.id().value(), false);
        after(Duration.ofMinutes(1));
        assertThat(notifier.of(Notice.IdleQuestion.class)).hasSize(2);
        var kept = service.keep(ANA, ana.id().value(), false, "k1", r -> POLICY.rule(r.gpuType()));
        assertThat(kept.message()).contains("I won't ask about idle GPUs again before " + clock.instant().plus(Duration.ofHours(2)));
        after(Duration.ofMinutes(119));
        assertThat(notifier.of(Notice.IdleQuestion.class)).hasSize(2);
        after(Duration.ofMinutes(1));
        assertThat(notifier.of(Notice.IdleQuestion.class)).hasSize(3);
        assertThat(now(ana).idle().questions()).isEqualTo(3);
    }

    @Test
    void aRestartIssuesAgainAQuestionNobodyWasShownOnceAndNeverAsksANewOne() {
        after(Duration.ofMinutes(31));
        var asked = now(ana).idle();
        IdleChecks restarted = new IdleChecks(service, gpus, POLICY, store, user -> Set.of());
        restarted.check();
        restarted.check();
        assertThat(notifier.of(Notice.IdleQuestion.class)).hasSize(2)
                .allSatisfy(q -> assertThat(q.reservation().idle().askedAt()).isEqualTo(asked.askedAt()));
        assertThat(now(ana).idle()).isEqualTo(asked);
    }

    @Test
    void exemptionsAreStoredAndARestartedPollKeepsThem() {
        gpus.busy(bo.id().value(), false);
        assertThat(idle.exempt("user:" + ANA.value(), true)).isTrue();
        assertThat(idle.exempt("user:" + ANA.value(), true)).as("already exempt").isFalse();
        assertThat(idle.exempt("team:vision", true)).isTrue();
        IdleChecks restarted = new IdleChecks(service, gpus, POLICY, store, user -> user.equals(BO) ? Set.of("vision") : Set.of());
        restarted.load();
        clock.advance(Duration.ofMinutes(31));
        restarted.check();
        assertThat(notifier.of(Notice.IdleQuestion.class)).as("the user and the team are exempt").isEmpty();

        assertThat(restarted.exempt("team:vision", false)).isTrue();
        restarted.check();
        assertThat(notifier.of(Notice.IdleQuestion.class)).extracting(q -> q.reservation().id()).containsExactly(bo.id());
        assertThat(store.idleExemptions()).containsExactly("user:U0ANA");
    }
}
