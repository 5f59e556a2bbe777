package dev.gpudev.scheduler.service;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.BO;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.app.ActionOutcome;
import dev.gpudev.scheduler.app.Lookup;
import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.testing.FakeCluster;
import dev.gpudev.scheduler.testing.FakeIdentity;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;
import dev.gpudev.scheduler.testing.RecordingNotifier;

class ReservationServiceTest {
    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final InMemoryReservationStore store = new InMemoryReservationStore();
    private final FakeCluster cluster = new FakeCluster(Fixtures.nodes("h100", 2, 8));
    private final RecordingNotifier notifier = new RecordingNotifier();
    private ReservationService service;

    @BeforeEach
    void start() {
        service = Fixtures.service(store, cluster, notifier, clock);
        service.start();
    }

    private Reservation reserve(String text) {
        return reserve(ANA, text);
    }

    private Reservation reserve(UserId who, String text) {
        return Fixtures.accepted(service, who, text);
    }

    @Test
    void aRequestThatFitsIsPersistedProvisionedAndExpiresFromActive() {
        Reservation r = reserve("reserve h100 4 2h");
        assertThat(store.find(r.id())).hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(ReservationState.PROVISIONING));
        assertThat(cluster.provisioned).singleElement().satisfies(spec -> assertThat(spec.reservation().id()).isEqualTo(r.id()));

        clock.advance(Duration.ofMinutes(3));
        cluster.ready(r.id());
        Reservation active = store.find(r.id()).orElseThrow();
        assertThat(active.endsAt()).isEqualTo(Fixtures.T0.plus(Duration.ofMinutes(3)).plus(Duration.ofHours(2)));
        assertThat(notifier.of(Notice.Ready.class)).hasSize(1);

        clock.advance(Duration.ofMinutes(100));
        service.tick();
        assertThat(notifier.of(Notice.Reminder.class)).singleElement().satisfies(n -> assertThat(n.left()).isEqualTo(Duration.ofMinutes(20)));
        service.tick();
        assertThat(notifier.of(Notice.Reminder.class)).hasSize(1);

        clock.advance(Duration.ofMinutes(20));
        service.tick();
        assertThat(store.find(r.id()).orElseThrow().endReason()).isEqualTo(EndReason.EXPIRED);
        assertThat(cluster.released).extracting(Reservation::id).containsExactly(r.id());
    }

    @Test
    void freeGpusAreNeverSummedAcrossNodes() {
        reserve("reserve h100 4 2h");
        reserve("reserve h100 4 2h");
        reserve("reserve h100 4 2h");
        // 4 GPUs are left, on one node: an 8-GPU request must wait, not take 4 + 4 of two nodes
        Reservation eight = reserve(BO, "reserve h100 8 1h");
        assertThat(cluster.provisioned).hasSize(3);
        assertThat(store.find(eight.id()).orElseThrow().state()).isEqualTo(ReservationState.QUEUED);
    }

    @Test
    void onlyTheOwnerMayCancel() {
        Reservation r = reserve("reserve h100 1 1h");
        assertThat(service.cancel(BO, r.id().value(), false)).isInstanceOf(ActionOutcome.Refused.class);
        assertThat(store.find(r.id()).orElseThrow().live()).isTrue();
        assertThat(service.cancel(ANA, r.id().value().substring(0, 7), false)).isInstanceOf(ActionOutcome.Done.class);
        assertThat(store.find(r.id()).orElseThrow().endReason()).isEqualTo(EndReason.CANCELLED);
        assertThat(cluster.released).hasSize(1);
    }

    @Test
    void aLookupSeesOnlyTheCallersOwnReservationsAndAnAdminsAtMostTheLimit() {
        for (int i = 0; i < 30; i++) {
            store.create(Fixtures.queued(String.format("h100-%04x", 0x1000 + i), BO, 1, Duration.ofHours(1), Fixtures.T0)
                    .ended(EndReason.CANCELLED, "x", Fixtures.T0));
        }
        Reservation mine = reserve("reserve h100 1 1h");
        String others = "h100-1001";

        assertThat(service.find(ANA, "h", false)).isEqualTo(new Lookup.Found(store.find(mine.id()).orElseThrow()));
        assertThat(service.find(ANA, others, false)).isInstanceOfSatisfying(Lookup.NotFound.class,
                n -> assertThat(n.reason()).contains("You have no reservation `h100-1001`"));
        assertThat(service.find(BO, "h", true)).isEqualTo(new Lookup.Found(store.find(mine.id()).orElseThrow()));
        assertThat(service.find(BO, "h100-1", true)).isInstanceOfSatisfying(Lookup.Ambiguous.class,
                a -> assertThat(a.candidates()).hasSize(ReservationService.LOOKUP_LIMIT));
        assertThat(service.cancel(ANA, others, false)).isInstanceOfSatisfying(ActionOutcome.Refused.class,
                r -> assertThat(r.reason()).contains("is not yours"));

        assertThat(service.extend(ANA, "h", Duration.ofHours(1), false)).isInstanceOf(ActionOutcome.Done.class);
        assertThat(store.find(mine.id()).orElseThrow().extendedBy()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aLongHistoryUnderAPrefixNeverHidesTheCallersLiveReservation() {
        for (int i = 0; i < 30; i++) {
            store.create(Fixtures.queued(String.format("h100-%04x", i), ANA, 1, Duration.ofHours(1), Fixtures.T0)
                    .ended(EndReason.CANCELLED, "x", Fixtures.T0));
        }
        Reservation live = reserve("reserve h100 1 1h");

        assertThat(service.find(ANA, "h100", false)).isEqualTo(new Lookup.Found(store.find(live.id()).orElseThrow()));
        assertThat(service.cancel(ANA, "h100", false)).isInstanceOf(ActionOutcome.Done.class);
        assertThat(store.find(live.id()).orElseThrow().live()).isFalse();
        assertThat(service.find(ANA, "h100-0001", false)).isInstanceOfSatisfying(Lookup.Found.class,
                f -> assertThat(f.reservation().id().value()).isEqualTo("h100-0001"));
    }

    @Test
    void aRestartedServiceRebuildsItsStateFromTheStore() {
        Reservation r = reserve("reserve h100 8 1h");
        ReservationService again = new ReservationService(service.engine(),
                new RequestValidator(GpuCatalog.defaults(), Limits.defaults()), store, cluster, new FakeIdentity(), notifier, clock, new Random(8));
        again.start();
        assertThat(again.state().find(r.id())).isPresent();
        var second = again.reserve(BO, (Command.Reserve) CommandParser.parse("reserve h100 8 1h"), null);
        assertThat(second).isInstanceOfSatisfying(ReserveOutcome.Accepted.class,
                a -> assertThat(a.reservation().nodes()).doesNotContainAnyElementsOf(r.nodes()));
    }

    @Test
    void aDuplicateDeliveryCreatesNothing() {
        var cmd = (Command.Reserve) CommandParser.parse("reserve h100 1 1h");
        assertThat(service.reserve(ANA, cmd, "trigger-1")).isInstanceOf(ReserveOutcome.Accepted.class);
        assertThat(service.reserve(ANA, cmd, "trigger-1")).isInstanceOf(ReserveOutcome.Duplicate.class);
        assertThat(store.live()).hasSize(1);
    }

    /** The bot passes a pool; a manual executor shows the effects wait for it instead of running on the caller's thread. */
    @Test
    void effectsRunOnTheExecutorNotOnTheCallersThread() {
        List<Runnable> pending = new ArrayList<>();
        GpuCatalog catalog = GpuCatalog.defaults();
        FakeCluster other = new FakeCluster(Fixtures.nodes("h100", 2, 8));
        RecordingNotifier told = new RecordingNotifier();
        ReservationService queued = new ReservationService(new Engine(catalog, Limits.defaults()),
                new RequestValidator(catalog, Limits.defaults()), new InMemoryReservationStore(), other, new FakeIdentity(), told,
                clock, new Random(7), pending::add);
        queued.start();

        Reservation r = Fixtures.accepted(queued, ANA, "reserve h100 4 2h");

        assertThat(other.provisioned).isEmpty();
        assertThat(told.notices).isEmpty();
        while (!pending.isEmpty()) {
            pending.removeFirst().run();
        }
        assertThat(other.provisioned).singleElement().satisfies(spec -> assertThat(spec.reservation().id()).isEqualTo(r.id()));
        assertThat(told.of(Notice.Starting.class)).extracting(n -> n.reservation().id()).containsExactly(r.id());
    }
}
