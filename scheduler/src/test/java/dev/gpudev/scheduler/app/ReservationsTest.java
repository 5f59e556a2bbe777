package dev.gpudev.scheduler.app;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.BO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.testing.FakeCluster;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;
import dev.gpudev.scheduler.testing.RecordingNotifier;

/** The use cases as a front-end calls them: ownership, admin-only actions, and the board they read. */
class ReservationsTest {
    private static final Actor ANA_USER = Actor.user(ANA);
    private static final Actor BO_USER = Actor.user(BO);
    private static final Actor ADMIN = Actor.admin(new UserId("U0ADMIN"));

    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final InMemoryReservationStore store = new InMemoryReservationStore();
    private final FakeCluster cluster = new FakeCluster(Fixtures.nodes("h100", 2, 8));
    private Reservations reservations;

    @BeforeEach
    void start() {
        var service = Fixtures.service(store, cluster, new RecordingNotifier(), clock);
        service.start();
        reservations = new Reservations(service);
    }

    private Reservation reserve(Actor who, String text) {
        var outcome = reservations.reserve(who, (Command.Reserve) CommandParser.parse(text), null);
        assertThat(outcome).isInstanceOf(ReserveOutcome.Accepted.class);
        return ((ReserveOutcome.Accepted) outcome).reservation();
    }

    @Test
    void onlyTheOwnerOrAnAdminMayCancelOrExtend() {
        Reservation anas = reserve(ANA_USER, "reserve h100 4 2h");

        assertThat(reservations.cancel(BO_USER, anas.id().value(), null))
                .isEqualTo(new ActionOutcome.Refused("Reservation " + anas.id() + " is not yours."));
        assertThat(reservations.extend(BO_USER, anas.id().value(), Duration.ofHours(1), null))
                .isInstanceOf(ActionOutcome.Refused.class);
        assertThat(reservations.board().find(anas.id())).hasValueSatisfying(r -> assertThat(r.live()).isTrue());

        assertThat(reservations.cancel(ADMIN, anas.id().value(), null)).isInstanceOf(ActionOutcome.Done.class);
        assertThat(reservations.board().find(anas.id())).isEmpty();
    }

    @Test
    void findAmongEveryoneIsForAdminsOnly() {
        Reservation anas = reserve(ANA_USER, "reserve h100 4 2h");
        String prefix = anas.id().value().substring(0, 7);

        assertThat(reservations.find(BO_USER, prefix, true)).isInstanceOf(Lookup.NotFound.class);
        assertThat(reservations.find(ADMIN, prefix, true)).isInstanceOfSatisfying(Lookup.Found.class,
                f -> assertThat(f.reservation().id()).isEqualTo(anas.id()));
        assertThat(reservations.find(ANA_USER, prefix, false)).isInstanceOf(Lookup.Found.class);
    }

    @Test
    void onlyAdminsDrainAndTheBoardShowsIt() {
        NodeName node = new NodeName("h100-1");

        assertThat(reservations.drain(ANA_USER, node, true)).isInstanceOf(ActionOutcome.Refused.class);
        assertThat(reservations.board().type("h100").orElseThrow().nodes())
                .allSatisfy(n -> assertThat(n.schedulable()).isTrue());

        assertThat(reservations.drain(ADMIN, node, true)).isInstanceOf(ActionOutcome.Changed.class);
        Board.TypeStatus h100 = reservations.board().type("h100").orElseThrow();
        assertThat(h100.nodes()).filteredOn(n -> n.name().equals(node)).singleElement()
                .satisfies(n -> assertThat(n.schedulable()).isFalse());
        assertThat(h100.free()).isEqualTo(8);
        assertThat(store.drained()).containsExactly(node);
    }

    @Test
    void theCheckRefusesWhatCanNeverBePlacedAndPassesTheRest() {
        assertThat(reservations.check(ANA_USER, (Command.Reserve) CommandParser.parse("reserve h100 3 2h"))).isPresent();
        assertThat(reservations.check(ANA_USER, (Command.Reserve) CommandParser.parse("reserve h100 4 2h"))).isEmpty();
    }

    @Test
    void theBoardShowsWhatIsLiveTheQueueInOrderWithEtasAndWhatIsFree() {
        Reservation a = reserve(ANA_USER, "reserve h100 8 2h");
        clock.advance(Duration.ofMinutes(1));
        Reservation b = reserve(BO_USER, "reserve h100 4 3h");
        clock.advance(Duration.ofMinutes(1));
        Reservation c = reserve(Actor.user(new UserId("U0CY")), "reserve h100 8 1h");
        clock.advance(Duration.ofMinutes(1));
        Reservation d = reserve(Actor.user(new UserId("U0DEE")), "reserve h100 8 1h");

        Board board = reservations.board();
        assertThat(board.now()).isEqualTo(clock.instant());
        assertThat(board.live()).extracting(Reservation::id).containsExactly(a.id(), b.id(), c.id(), d.id());
        assertThat(board.queue("h100")).extracting(w -> w.reservation().id(), Board.Waiting::position)
                .containsExactly(tuple(c.id(), 1), tuple(d.id(), 2));
        assertThat(board.queue("h100")).allSatisfy(w -> assertThat(w.eta()).isAfter(board.now()));
        assertThat(board.queue("b200")).isEmpty();
        Board.TypeStatus h100 = board.type("h100").orElseThrow();
        assertThat(h100.free()).isEqualTo(4);
        assertThat(h100.total()).isEqualTo(16);
        assertThat(h100.queued()).isEqualTo(2);
        assertThat(h100.largestRequest()).isEqualTo(4);
        assertThat(h100.nextFree()).isEqualTo(board.now());
        assertThat(board.waiting()).isEqualTo(2);
        assertThat(board.liveOf(BO)).extracting(Reservation::id).containsExactly(b.id());
        assertThat(board.form().durations()).allSatisfy(x -> assertThat(x).isBetween(board.limits().minDuration(), board.limits().maxDuration()));
        assertThat(board.form().catalog().find("h100")).isPresent();
        assertThat(board.live()).filteredOn(r -> r.state() == ReservationState.QUEUED).hasSize(2);
    }
}
