package dev.gpudev.scheduler.service;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.testing.FakeCluster;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;
import dev.gpudev.scheduler.testing.RecordingNotifier;

/** The Ready message and reminders are delivered at least once: what the front-end gives up on is issued again. */
class DeliveryTest {
    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final InMemoryReservationStore store = new InMemoryReservationStore();
    private final FakeCluster cluster = new FakeCluster(Fixtures.nodes("h100", 2, 8));
    private final RecordingNotifier notifier = new RecordingNotifier();
    private ReservationService service;

    @BeforeEach
    void start() {
        service = newService();
        service.start();
    }

    private ReservationService newService() {
        return Fixtures.service(store, cluster, notifier, clock);
    }

    private Reservation active() {
        var outcome = service.reserve(ANA, (Command.Reserve) CommandParser.parse("reserve h100 4 1h"), null);
        Reservation r = ((ReserveOutcome.Accepted) outcome).reservation();
        cluster.ready(r.id());
        return store.find(r.id()).orElseThrow();
    }

    private <T extends Notice> T last(Class<T> type) {
        return notifier.of(type).getLast();
    }

    @Test
    void aReadyMessageGivenUpOnIsIssuedAgainUntilItIsDeliveredThenNeverAgain() {
        Reservation r = active();
        assertThat(notifier.of(Notice.Ready.class)).hasSize(1);
        service.tick();
        assertThat(notifier.of(Notice.Ready.class)).as("on its way: not issued again").hasSize(1);

        service.undelivered(last(Notice.Ready.class));
        service.tick();
        assertThat(notifier.of(Notice.Ready.class)).hasSize(2);
        service.undelivered(last(Notice.Ready.class));
        service.tick();
        assertThat(notifier.of(Notice.Ready.class)).hasSize(3);
        assertThat(store.find(r.id()).orElseThrow().shown()).isNull();

        service.delivered(last(Notice.Ready.class), "D0:1.1");
        assertThat(store.find(r.id()).orElseThrow()).satisfies(s -> {
            assertThat(s.shown()).isEqualTo(ReservationState.ACTIVE);
            assertThat(s.chatRef()).isEqualTo("D0:1.1");
        });
        service.tick();
        service.tick();
        assertThat(notifier.of(Notice.Ready.class)).hasSize(3);
    }

    @Test
    void aRestartedServiceIssuesTheReadyMessageItsPredecessorNeverDelivered() {
        Reservation r = active();
        service = newService();
        service.start();
        assertThat(notifier.of(Notice.Ready.class)).hasSize(2).last().satisfies(n -> assertThat(n.reservation().id()).isEqualTo(r.id()));

        service.delivered(last(Notice.Ready.class), "D0:1.1");
        service = newService();
        service.start();
        assertThat(notifier.of(Notice.Ready.class)).hasSize(2);
    }

    @Test
    void theLatestReminderIsIssuedAgainWhileTimeIsLeftAndNoOlderOne() {
        Reservation r = active();
        service.delivered(last(Notice.Ready.class), "D0:1.1");
        clock.advance(Duration.ofMinutes(31));
        service.tick();
        service.undelivered(last(Notice.Reminder.class));
        clock.advance(Duration.ofMinutes(15));
        service.tick();
        assertThat(notifier.of(Notice.Reminder.class)).as("the 15-minute reminder, not the 30-minute one again").hasSize(2)
                .last().satisfies(n -> assertThat(n.left()).isEqualTo(Duration.ofMinutes(14)));

        service.undelivered(last(Notice.Reminder.class));
        clock.advance(Duration.ofMinutes(1));
        service.tick();
        assertThat(notifier.of(Notice.Reminder.class)).hasSize(3).last().satisfies(n -> {
            assertThat(n.left()).isEqualTo(Duration.ofMinutes(13));
            assertThat(n.reservation().latestReminder()).contains(Duration.ofMinutes(15));
        });
        service.delivered(last(Notice.Reminder.class), null);
        assertThat(store.find(r.id()).orElseThrow().reminded()).isEqualTo(Duration.ofMinutes(15));
        service.tick();
        assertThat(notifier.of(Notice.Reminder.class)).hasSize(3);

        clock.advance(Duration.ofMinutes(9));
        service.tick();
        service.undelivered(last(Notice.Reminder.class));
        clock.advance(Duration.ofMinutes(4));
        service.tick();
        assertThat(store.find(r.id()).orElseThrow().live()).isFalse();
        assertThat(notifier.of(Notice.Reminder.class)).as("nothing after the end").hasSize(4);
    }

    @Test
    void aReminderConfirmedAfterAnExtensionRecordsNothing() {
        Reservation r = active();
        service.delivered(last(Notice.Ready.class), "D0:1.1");
        clock.advance(Duration.ofMinutes(31));
        service.tick();
        Notice.Reminder before = last(Notice.Reminder.class);
        service.extend(ANA, r.id().value(), Duration.ofHours(1), false);

        service.delivered(before, null);
        Reservation now = store.find(r.id()).orElseThrow();
        assertThat(now.reminded()).isNull();
        assertThat(now.remindersSent()).isEmpty();
        service.tick();
        assertThat(notifier.of(Notice.Reminder.class)).hasSize(1);
    }

    @Test
    void queueMovesCostNoWritesOnlyTheFirstMessageAndTheReadyOneDo() {
        Reservation r = active();
        long version = r.version();
        List<Notice> mine = notifier.notices.stream().filter(n -> n.reservation().id().equals(r.id())).toList();
        service.delivered(mine.getFirst(), "D0:1.1");
        assertThat(store.find(r.id()).orElseThrow().version()).isEqualTo(version + 1);
        service.delivered(mine.getFirst(), "D0:1.1");
        service.delivered(new Notice.Extended(r), "D0:1.1");
        assertThat(store.find(r.id()).orElseThrow().version()).isEqualTo(version + 1);
        service.delivered(last(Notice.Ready.class), "D0:1.1");
        assertThat(store.find(r.id()).orElseThrow()).satisfies(s -> {
            assertThat(s.version()).isEqualTo(version + 2);
            assertThat(s.shown()).isEqualTo(ReservationState.ACTIVE);
        });
    }
}
