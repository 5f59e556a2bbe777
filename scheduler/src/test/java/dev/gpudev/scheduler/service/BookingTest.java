package dev.gpudev.scheduler.service;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.BO;
import static dev.gpudev.scheduler.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.app.ActionOutcome;
import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.testing.FakeCluster;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;
import dev.gpudev.scheduler.testing.RecordingNotifier;

/** Advance booking through the real service, store and engine; the clock is moved by hand. T0 is Monday 2 Nov 2026, 09:00 UTC. */
class BookingTest {
    private static final UserId CAT = new UserId("U0CAT");
    private static final UserId DAN = new UserId("U0DAN");
    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryReservationStore store = new InMemoryReservationStore();
    private final FakeCluster cluster = new FakeCluster(Fixtures.nodes("h100", 2, 8));
    private final RecordingNotifier notifier = new RecordingNotifier();
    private ReservationService service;

    @BeforeEach
    void start() {
        service = Fixtures.service(store, cluster, notifier, clock);
        service.start();
    }

    private ReserveOutcome book(UserId who, boolean admin, String text, Instant at) {
        return service.book(who, admin, (Command.Reserve) CommandParser.parse(text), at, ZoneOffset.UTC, null);
    }

    private Reservation booked(UserId who, String text, Instant at) {
        ReserveOutcome o = book(who, false, text, at);
        assertThat(o).as(o.toString()).isInstanceOf(ReserveOutcome.Accepted.class);
        return ((ReserveOutcome.Accepted) o).reservation();
    }

    private Reservation now(Reservation r) {
        return store.find(r.id()).orElseThrow();
    }

    private Reservation running(UserId who, String text) {
        Reservation r = Fixtures.accepted(service, who, text);
        cluster.ready(r.id());
        return now(r);
    }

    @Test
    void bookedGpusServeOnlyWorkThatEndsInTimeAndTheBookingStartsOnTheMinute() {
        Reservation booking = booked(ANA, "reserve h100 8 4h", T0.plus(Duration.ofHours(2)));
        assertThat(booking.state()).isEqualTo(ReservationState.QUEUED);
        assertThat(notifier.of(Notice.Queued.class)).filteredOn(q -> q.reservation().id().equals(booking.id()))
                .singleElement().satisfies(q -> assertThat(q.eta()).isEqualTo(T0.plus(Duration.ofHours(2))));

        Reservation bo = running(BO, "reserve h100 8 4h");
        Reservation cat = running(CAT, "reserve h100 8 1h");
        assertThat(cat.state()).as("1 h plus the provision allowance ends before the booking: backfill").isEqualTo(ReservationState.ACTIVE);
        assertThat(cat.nodes()).isEqualTo(now(booking).booking().nodes());
        Reservation dan = Fixtures.accepted(service, DAN, "reserve h100 4 3h");
        assertThat(now(dan).state()).as("3 h would run into the booking").isEqualTo(ReservationState.QUEUED);

        clock.advance(Duration.ofHours(1));
        service.tick();
        assertThat(now(cat).endReason()).isEqualTo(EndReason.EXPIRED);
        assertThat(now(dan).state()).as("the free node is still booked from 11:00").isEqualTo(ReservationState.QUEUED);

        clock.advance(Duration.ofMinutes(59));
        service.tick();
        assertThat(now(booking).state()).isEqualTo(ReservationState.QUEUED);
        clock.advance(Duration.ofMinutes(1));
        service.tick();
        assertThat(now(booking).state()).isEqualTo(ReservationState.PROVISIONING);
        assertThat(now(booking).nodes()).isEqualTo(cat.nodes()).doesNotContainAnyElementsOf(bo.nodes());
        assertThat(now(dan).state()).isEqualTo(ReservationState.QUEUED);
    }

    @Test
    void aBookingThatCannotBePlacedIsRefusedAtOnceWithTheNearestWindows() {
        running(BO, "reserve h100 8 4h");
        running(CAT, "reserve h100 8 6h");
        ReserveOutcome o = book(ANA, false, "reserve h100 8 2h", T0.plus(Duration.ofHours(1)));
        assertThat(o).isInstanceOfSatisfying(ReserveOutcome.Refused.class, r -> assertThat(r.reason())
                .contains("8 × h100 is not free for 2h from Mon 2 Nov 10:00 UTC")
                .contains("is free Mon 2 Nov 13:00–…"));
        assertThat(store.live()).hasSize(2);

        ReserveOutcome berlin = service.book(ANA, false, (Command.Reserve) CommandParser.parse("reserve h100 8 2h"),
                T0.plus(Duration.ofHours(1)), ZoneId.of("Europe/Berlin"), null);
        assertThat(((ReserveOutcome.Refused) berlin).reason()).as("answered in the user's zone").contains("11:00 CET").contains("14:00–…");
    }

    @Test
    void twoBookingsNeverShareGpusAndTheSecondIsToldWhereItFits() {
        booked(ANA, "reserve h100 8 4h", T0.plus(Duration.ofHours(2)));
        booked(BO, "reserve h100 8 4h", T0.plus(Duration.ofHours(3)));
        ReserveOutcome third = book(CAT, false, "reserve h100 8 2h", T0.plus(Duration.ofHours(4)));
        assertThat(third).isInstanceOfSatisfying(ReserveOutcome.Refused.class, r -> assertThat(r.reason())
                .contains("is free Mon 2 Nov 09:00–12:00").contains("Mon 2 Nov 15:15–…"));
    }

    @Test
    void limitsBoundBookingsPerPersonAheadAndAdminsMayBookWholeNodesBeyondThem() {
        booked(ANA, "reserve h100 8 8h", T0.plus(Duration.ofDays(2)));
        assertThat(book(ANA, false, "reserve h100 1 1h", T0.plus(Duration.ofDays(3))))
                .isInstanceOfSatisfying(ReserveOutcome.Refused.class, r -> assertThat(r.reason()).contains("limit of 64 per person"));
        assertThat(book(BO, false, "reserve h100 1 1h", T0.plus(Duration.ofDays(15))))
                .isInstanceOfSatisfying(ReserveOutcome.Refused.class, r -> assertThat(r.reason()).contains("at most 14 days ahead"));
        assertThat(book(BO, false, "reserve h100 1 1h", T0.minus(Duration.ofMinutes(1))))
                .isInstanceOfSatisfying(ReserveOutcome.Refused.class, r -> assertThat(r.reason()).contains("not in the future"));
        assertThat(book(ANA, true, "reserve h100 8 8h", T0.plus(Duration.ofDays(20)))).isInstanceOf(ReserveOutcome.Accepted.class);
        assertThat(book(ANA, true, "reserve h100 4 1h", T0.plus(Duration.ofDays(20))))
                .as("an admin's partial node is bound like anyone's").isInstanceOf(ReserveOutcome.Refused.class);
    }

    @Test
    void theOwnerIsRemindedOnceBeforeTheStartAndAnUnusedBookingIsReleased() {
        Reservation booking = booked(ANA, "reserve h100 8 4h", T0.plus(Duration.ofHours(1)));
        clock.advance(Duration.ofMinutes(44));
        service.tick();
        assertThat(notifier.of(Notice.BookingReminder.class)).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        service.tick();
        service.tick();
        assertThat(notifier.of(Notice.BookingReminder.class)).singleElement().satisfies(n -> assertThat(n.left()).isEqualTo(Duration.ofMinutes(15)));
        clock.advance(Duration.ofMinutes(15));
        service.tick();
        cluster.ready(booking.id());
        assertThat(now(booking).state()).isEqualTo(ReservationState.ACTIVE);
        clock.advance(Duration.ofMinutes(30));
        service.tick();
        assertThat(now(booking).endReason()).isEqualTo(EndReason.UNUSED);
        assertThat(cluster.released).extracting(Reservation::id).contains(booking.id());
    }

    @Test
    void aUsedBookingRunsItsWholeWindow() {
        Reservation booking = booked(ANA, "reserve h100 8 4h", T0.plus(Duration.ofMinutes(10)));
        assertThat(service.useBooking(ANA, booking.id().value(), false)).isInstanceOfSatisfying(ActionOutcome.Done.class,
                d -> assertThat(d.message()).contains("has not started yet"));
        assertThat(now(booking).booking().used()).isFalse();
        clock.advance(Duration.ofMinutes(10));
        service.tick();
        cluster.ready(booking.id());
        assertThat(service.useBooking(BO, booking.id().value(), false)).isInstanceOf(ActionOutcome.Refused.class);
        assertThat(service.useBooking(ANA, booking.id().value(), false)).isInstanceOf(ActionOutcome.Done.class);
        assertThat(now(booking).booking().used()).isTrue();
        clock.advance(Duration.ofHours(1));
        service.tick();
        assertThat(now(booking).state()).isEqualTo(ReservationState.ACTIVE);
        assertThat(notifier.of(Notice.BookingReminder.class)).as("booked within the reminder's lead: no reminder").isEmpty();
    }

    @Test
    void anExtensionIntoABookedWindowIsRefusedUnlessAnotherNodeHoldsTheBooking() {
        cluster.change(Fixtures.nodes("h100", 1, 8));
        Reservation bo = running(BO, "reserve h100 8 1h");
        booked(ANA, "reserve h100 8 4h", T0.plus(Duration.ofHours(2)));
        assertThat(service.extend(BO, bo.id().value(), Duration.ofHours(2), false)).isInstanceOfSatisfying(ActionOutcome.Refused.class,
                r -> assertThat(r.reason()).contains("would delay"));
        assertThat(service.extend(BO, bo.id().value(), Duration.ofMinutes(30), false)).isInstanceOf(ActionOutcome.Done.class);
    }

    @Test
    void aBookingWhoseWindowPassesWithoutFreeGpusExpires() {
        cluster.change(Fixtures.nodes("h100", 1, 8));
        Reservation bo = running(BO, "reserve h100 8 1h");
        Reservation booking = booked(ANA, "reserve h100 8 1h", T0.plus(Duration.ofHours(2)));
        assertThat(service.extend(ANA, bo.id().value(), Duration.ofHours(4), true)).isInstanceOf(ActionOutcome.Done.class);
        clock.advance(Duration.ofHours(2));
        service.tick();
        assertThat(now(booking).state()).isEqualTo(ReservationState.QUEUED);
        clock.advance(Duration.ofHours(1));
        service.tick();
        assertThat(now(booking).endReason()).isEqualTo(EndReason.EXPIRED);
        assertThat(service.nextWakeup()).as("no wake-up in the past").hasValueSatisfying(t -> assertThat(t).isAfter(clock.instant()));
    }

    @Test
    void aBookingDoesNotCountInTheGpusItsOwnerMayHoldOrQueueNow() {
        booked(ANA, "reserve h100 8 4h", T0.plus(Duration.ofDays(1)));
        booked(ANA, "reserve h100 8 4h", T0.plus(Duration.ofDays(2)));
        assertThat(Fixtures.accepted(service, ANA, "reserve h100 8 1h").state()).isEqualTo(ReservationState.PROVISIONING);
    }
}
