package dev.gpudev.scheduler.service;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.BO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import dev.gpudev.scheduler.app.ActionOutcome;
import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.StoreUnavailableException;
import dev.gpudev.scheduler.testing.FakeCluster;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;
import dev.gpudev.scheduler.testing.RecordingNotifier;

/** Duplicate deliveries take effect once; a store that fails gets a plain answer and leaves nothing half-done. */
class IdempotencyAndFailureTest {
    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final FlakyStore store = new FlakyStore();
    private final FakeCluster cluster = new FakeCluster(Fixtures.nodes("h100", 2, 8));
    private final RecordingNotifier notifier = new RecordingNotifier();
    private ReservationService service;

    @BeforeEach
    void start() {
        service = Fixtures.service(store, cluster, notifier, clock);
        service.start();
    }

    private ReserveOutcome reserve(UserId who, String text, String key) {
        return service.reserve(who, (Command.Reserve) CommandParser.parse(text), key);
    }

    private Reservation accepted(UserId who, String text, String key) {
        return ((ReserveOutcome.Accepted) reserve(who, text, key)).reservation();
    }

    @Test
    void aDuplicateOfARequestThatFilledTheQuotaIsADuplicateNotARefusal() {
        assertThat(reserve(ANA, "reserve h100 16 1h", "T1")).isInstanceOf(ReserveOutcome.Accepted.class);

        assertThat(reserve(ANA, "reserve h100 16 1h", "T1")).isInstanceOf(ReserveOutcome.Duplicate.class);
        assertThat(store.live()).hasSize(1);
    }

    @Test
    void aRetryOfADeliveryThatDiedBetweenClaimAndWriteStillReservesUnderTheIdItChose() {
        store.claim("reserve:T1", "h100-beef");

        Reservation r = accepted(ANA, "reserve h100 4 1h", "T1");

        assertThat(r.id()).isEqualTo(new ReservationId("h100-beef"));
        assertThat(reserve(ANA, "reserve h100 4 1h", "T1")).isInstanceOf(ReserveOutcome.Duplicate.class);
    }

    record Action(String key, BiFunction<ReservationService, String, ActionOutcome> perform) {
    }

    static final List<Named<Action>> ACTIONS = List.of(
            Named.of("cancel clicked twice", new Action("cancel", (s, id) -> s.cancel(ANA, id, false, "1700000000.100"))),
            Named.of("extend clicked twice", new Action("extend", (s, id) -> s.extend(ANA, id, Duration.ofHours(1), false, "1700000000.200"))));

    @ParameterizedTest
    @FieldSource("ACTIONS")
    void anActionDeliveredTwiceTakesEffectOnceAndAnswersTheSameBothTimes(Action action) {
        Reservation r = accepted(ANA, "reserve h100 8 1h", "T1");
        cluster.ready(r.id());

        ActionOutcome first = action.perform().apply(service, r.id().value());
        ActionOutcome second = action.perform().apply(service, r.id().value());

        assertThat(first).isInstanceOf(ActionOutcome.Done.class);
        assertThat(second).isInstanceOfSatisfying(ActionOutcome.Done.class,
                d -> assertThat(d.message()).isEqualTo(((ActionOutcome.Done) first).message()));
        Reservation now = store.find(r.id()).orElseThrow();
        if (action.key().equals("extend")) {
            assertThat(now.extendedBy()).isEqualTo(Duration.ofHours(1));
            assertThat(notifier.of(Notice.Extended.class)).hasSize(1);
        } else {
            assertThat(now.endReason()).isEqualTo(EndReason.CANCELLED);
            assertThat(notifier.of(Notice.Ended.class)).hasSize(1);
            assertThat(cluster.released).hasSize(1);
        }
    }

    @Test
    void twoConcurrentDeliveriesOfOneClickExtendOnceAndAnswerAlike() throws Exception {
        Reservation r = accepted(ANA, "reserve h100 8 1h", "T1");
        cluster.ready(r.id());
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        store.beforeWrite = () -> {
            store.beforeWrite = () -> {
            };
            writing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (ExecutorService two = Executors.newFixedThreadPool(2)) {
            Future<ActionOutcome> first = two.submit(() -> service.extend(ANA, r.id().value(), Duration.ofHours(1), false, "D0ANA:1700.1:extend_1h"));
            writing.await();
            Thread[] second = new Thread[1];
            Future<ActionOutcome> again = two.submit(() -> {
                second[0] = Thread.currentThread();
                return service.extend(ANA, r.id().value(), Duration.ofHours(1), false, "D0ANA:1700.1:extend_1h");
            });
            // The first holds its write; the second runs until it waits for the service's lock, then the first goes on.
            while (second[0] == null || second[0].getState() != Thread.State.BLOCKED) {
                Thread.onSpinWait();
            }
            release.countDown();

            assertThat(first.get()).isInstanceOf(ActionOutcome.Done.class);
            assertThat(again.get()).isEqualTo(first.get());
        }
        assertThat(store.find(r.id()).orElseThrow().extendedBy()).isEqualTo(Duration.ofHours(1));
        assertThat(notifier.of(Notice.Extended.class)).hasSize(1);
    }

    @Test
    void aClickOnAButtonDrawnBeforeTheLastExtensionExtendsNothing() {
        Reservation r = accepted(ANA, "reserve h100 8 1h", "T1");
        cluster.ready(r.id());
        service.extend(ANA, r.id().value(), Duration.ofHours(1), false, "reminder-message", Duration.ZERO);

        ActionOutcome stale = service.extend(ANA, r.id().value(), Duration.ofHours(1), false, "ready-message", Duration.ZERO);

        assertThat(stale).isInstanceOfSatisfying(ActionOutcome.Done.class,
                d -> assertThat(d.message()).contains("was already extended from another click"));
        assertThat(store.find(r.id()).orElseThrow().extendedBy()).isEqualTo(Duration.ofHours(1));
        assertThat(service.extend(ANA, r.id().value(), Duration.ofHours(1), false, "redrawn", Duration.ofHours(1)))
                .isInstanceOf(ActionOutcome.Done.class);
        assertThat(store.find(r.id()).orElseThrow().extendedBy()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void anExtensionWithANewKeyExtendsAgain() {
        Reservation r = accepted(ANA, "reserve h100 8 1h", "T1");
        cluster.ready(r.id());

        service.extend(ANA, "", Duration.ofHours(1), false, "a");
        service.extend(ANA, "", Duration.ofHours(1), false, "b");

        assertThat(store.find(r.id()).orElseThrow().extendedBy()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void aStoreThatIsDownRefusesPlainlyAndTheRetryWithTheSameTriggerWorks() {
        store.down = true;
        assertThat(reserve(ANA, "reserve h100 4 1h", "T1")).isInstanceOfSatisfying(ReserveOutcome.Refused.class,
                r -> assertThat(r.reason()).contains("nothing was changed"));
        assertThat(cluster.provisioned).isEmpty();

        store.down = false;
        assertThat(reserve(ANA, "reserve h100 4 1h", "T1")).isInstanceOf(ReserveOutcome.Accepted.class);
        assertThat(store.live()).hasSize(1);
    }

    @Test
    void aCancelWhoseFollowUpWriteFailsIsDoneAndTheQueuedRequestStartsOnTheNextEvent() {
        Reservation mine = accepted(ANA, "reserve h100 8 1h", "T1");
        Reservation other = accepted(BO, "reserve h100 8 1h", "T2");
        Reservation waiting = accepted(new UserId("U0CY"), "reserve h100 8 1h", "T3");
        cluster.ready(mine.id());
        cluster.ready(other.id());
        assertThat(store.find(waiting.id()).orElseThrow().state()).isEqualTo(ReservationState.QUEUED);

        store.writesBeforeFailure.set(1);
        ActionOutcome cancel = service.cancel(ANA, mine.id().value(), false, "c1");

        assertThat(cancel).isInstanceOfSatisfying(ActionOutcome.Done.class, d -> assertThat(d.message()).startsWith("Cancelled " + mine.id()));
        assertThat(store.find(mine.id()).orElseThrow().endReason()).isEqualTo(EndReason.CANCELLED);
        assertThat(cluster.released).extracting(Reservation::id).containsExactly(mine.id());
        assertThat(notifier.of(Notice.Ended.class)).extracting(n -> n.reservation().id()).containsExactly(mine.id());
        assertThat(store.find(waiting.id()).orElseThrow().state()).isEqualTo(ReservationState.QUEUED);

        service.tick();

        assertThat(store.find(waiting.id()).orElseThrow().state()).isEqualTo(ReservationState.PROVISIONING);
        assertThat(service.state().live().keySet()).containsExactlyInAnyOrder(other.id(), waiting.id());
    }

    @Test
    void aTickThatCannotWriteLosesNothing() {
        Reservation r = accepted(ANA, "reserve h100 8 1h", "T1");
        cluster.ready(r.id());
        clock.advance(Duration.ofHours(2));

        store.down = true;
        service.tick();
        assertThat(store.store.find(r.id()).orElseThrow().state()).isEqualTo(ReservationState.ACTIVE);
        assertThat(cluster.released).isEmpty();

        store.down = false;
        service.tick();
        assertThat(store.find(r.id()).orElseThrow().endReason()).isEqualTo(EndReason.EXPIRED);
        assertThat(cluster.released).extracting(Reservation::id).containsExactly(r.id());
        assertThat(service.cancel(BO, r.id().value(), false)).isInstanceOf(ActionOutcome.Refused.class);
    }

    @Test
    void aLostRaceReloadsAndDecidesAgainOnWhatIsStoredNow() {
        Reservation r = accepted(ANA, "reserve h100 8 1h", "T1");
        cluster.ready(r.id());
        store.update(store.find(r.id()).orElseThrow().withChatRef("C1:1700000000.1"), service.term());

        ActionOutcome extend = service.extend(ANA, r.id().value(), Duration.ofHours(1), false, "e1");

        assertThat(extend).isInstanceOf(ActionOutcome.Done.class);
        Reservation now = store.find(r.id()).orElseThrow();
        assertThat(now.extendedBy()).isEqualTo(Duration.ofHours(1));
        assertThat(now.chatRef()).isEqualTo("C1:1700000000.1");
    }

    @Test
    void whenTheStartOfTheNextRequestLosesARaceTheCancelStandsAndTheRestIsDecidedAgain() {
        Reservation mine = accepted(ANA, "reserve h100 8 1h", "T1");
        Reservation other = accepted(BO, "reserve h100 8 1h", "T2");
        Reservation waiting = accepted(new UserId("U0CY"), "reserve h100 8 1h", "T3");
        cluster.ready(mine.id());
        cluster.ready(other.id());
        store.update(store.find(waiting.id()).orElseThrow().withChatRef("C1:1700000000.2"), service.term());

        ActionOutcome cancel = service.cancel(ANA, mine.id().value(), false, "c1");

        assertThat(cancel).isInstanceOf(ActionOutcome.Done.class);
        assertThat(store.find(mine.id()).orElseThrow().endReason()).isEqualTo(EndReason.CANCELLED);
        assertThat(store.find(waiting.id()).orElseThrow()).satisfies(w -> {
            assertThat(w.state()).isEqualTo(ReservationState.PROVISIONING);
            assertThat(w.chatRef()).isEqualTo("C1:1700000000.2");
        });
        assertThat(cluster.released).extracting(Reservation::id).containsExactly(mine.id());
        assertThat(cluster.provisioned).extracting(spec -> spec.reservation().id()).containsOnlyOnce(waiting.id());
        assertThat(notifier.of(Notice.Ended.class)).hasSize(1);
    }

    @Test
    void aDrainOutlivesARestartAndAnUndrainToo() {
        NodeName first = cluster.snapshot().nodes().getFirst().name();
        service.drain(first, true);

        ReservationService restarted = Fixtures.service(store, cluster, notifier, clock);
        restarted.start();
        assertThat(restarted.state().drained()).containsExactly(first);
        Reservation r = ((ReserveOutcome.Accepted) restarted.reserve(ANA, (Command.Reserve) CommandParser.parse("reserve h100 8 1h"), "T1")).reservation();
        assertThat(store.find(r.id()).orElseThrow().nodes()).doesNotContain(first);

        restarted.drain(first, false);
        ReservationService again = Fixtures.service(store, cluster, notifier, clock);
        again.start();
        assertThat(again.state().drained()).isEmpty();
    }

    @Test
    void aDrainTheStoreCannotRecordFailsAndChangesNothing() {
        NodeName first = cluster.snapshot().nodes().getFirst().name();
        store.down = true;

        assertThatThrownBy(() -> service.drain(first, true)).isInstanceOf(StoreUnavailableException.class);

        store.down = false;
        assertThat(service.state().drained()).isEmpty();
        assertThat(store.drained()).isEmpty();
        Reservation r = accepted(ANA, "reserve h100 8 1h", "T1");
        Reservation s = accepted(BO, "reserve h100 8 1h", "T2");
        assertThat(List.of(r, s)).allSatisfy(x -> assertThat(store.find(x.id()).orElseThrow().state()).isEqualTo(ReservationState.PROVISIONING));
    }
}
