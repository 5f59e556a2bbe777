package dev.gpudev.scheduler.service;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.CountDownLatch;

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

/**
 * A delivery confirmed while a tick looks for undelivered notices: the tick must not issue the Ready message again.
 * Each test holds the ticking thread and the confirming one at the points where the two interleave badly.
 */
class DeliveryRaceTest {
    private final HoldingClock clock = new HoldingClock(new MutableClock(Fixtures.T0));
    private final InMemoryReservationStore store = new InMemoryReservationStore();
    private final FakeCluster cluster = new FakeCluster(Fixtures.nodes("h100", 2, 8));
    private final RecordingNotifier notifier = new RecordingNotifier();

    /** The tick is held in its re-issue, after reading the state, while the confirmation is recorded and settled. */
    @Test
    void aDeliveryConfirmedDuringATickIsNotIssuedAgain() throws InterruptedException {
        ReservationService service = Fixtures.service(store, cluster, notifier, clock);
        service.start();
        var outcome = service.reserve(ANA, (Command.Reserve) CommandParser.parse("reserve h100 4 1h"), null);
        Reservation r = ((ReserveOutcome.Accepted) outcome).reservation();
        cluster.ready(r.id());
        Notice.Ready ready = notifier.of(Notice.Ready.class).getFirst();

        // The tick's commit calls the watchers on the ticking thread; its next clock read is the re-issue's.
        Hold inReissue = new Hold();
        service.watch(s -> clock.holdNextReadOn(Thread.currentThread(), inReissue));
        Thread ticker = Thread.ofPlatform().name("ticker").start(service::tick);
        inReissue.reached.await();
        Thread deliverer = Thread.ofPlatform().name("deliverer").start(() -> service.delivered(ready, "D0:1.1"));
        while (deliverer.isAlive() && deliverer.getState() != Thread.State.BLOCKED) {
            Thread.onSpinWait();
        }
        inReissue.release.countDown();
        ticker.join();
        deliverer.join();

        assertThat(store.find(r.id()).orElseThrow().shown()).isEqualTo(ReservationState.ACTIVE);
        assertThat(notifier.of(Notice.Ready.class)).as("confirmed while the tick ran: not issued again").hasSize(1);
        service.tick();
        assertThat(notifier.of(Notice.Ready.class)).hasSize(1);
    }

    /**
     * The tick runs whole between the front-end settling the notice and the engine recording it, if settled first (the
     * order before 7e4d685): held in the reminder it sends (after its commit, before its re-issue) while the
     * confirmation is held in its commit's clock read.
     */
    @Test
    void aTickBetweenTheConfirmationAndItsRecordDoesNotIssueItAgain() throws InterruptedException {
        Hold inReminder = new Hold();
        Thread[] tickerRef = new Thread[1];
        ReservationService service = Fixtures.service(store, cluster, n -> {
            notifier.notify(n);
            if (n instanceof Notice.Reminder && Thread.currentThread() == tickerRef[0]) {
                inReminder.pass();
            }
        }, clock);
        service.start();
        var outcome = service.reserve(ANA, (Command.Reserve) CommandParser.parse("reserve h100 4 1h"), null);
        Reservation r = ((ReserveOutcome.Accepted) outcome).reservation();
        cluster.ready(r.id());
        Notice.Ready ready = notifier.of(Notice.Ready.class).getFirst();
        clock.inner.advance(Duration.ofMinutes(31));

        Thread ticker = Thread.ofPlatform().name("ticker").unstarted(service::tick);
        tickerRef[0] = ticker;
        ticker.start();
        inReminder.reached.await();
        Hold inRecord = new Hold();
        Thread deliverer = Thread.ofPlatform().name("deliverer").unstarted(() -> service.delivered(ready, "D0:1.1"));
        clock.holdNextReadOn(deliverer, inRecord);
        deliverer.start();
        inRecord.reached.await();
        inReminder.release.countDown();
        ticker.join();
        inRecord.release.countDown();
        deliverer.join();

        assertThat(notifier.of(Notice.Reminder.class)).hasSize(1);
        assertThat(store.find(r.id()).orElseThrow().shown()).isEqualTo(ReservationState.ACTIVE);
        assertThat(notifier.of(Notice.Ready.class)).as("confirmed while the tick ran: not issued again").hasSize(1);
    }

    /** A point one thread waits at until the test releases it. */
    private static final class Hold {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        void pass() {
            reached.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Holds the next read on one thread until released. */
    private static final class HoldingClock extends Clock {
        final MutableClock inner;
        private volatile Thread holdOn;
        private volatile Hold hold;

        HoldingClock(MutableClock inner) {
            this.inner = inner;
        }

        /** Once per hold: later calls for a hold already reached are ignored. */
        void holdNextReadOn(Thread t, Hold h) {
            if (h.reached.getCount() > 0) {
                hold = h;
                holdOn = t;
            }
        }

        @Override
        public Instant instant() {
            Hold h = hold;
            if (h != null && holdOn == Thread.currentThread()) {
                holdOn = null;
                hold = null;
                h.pass();
            }
            return inner.instant();
        }

        @Override
        public ZoneId getZone() {
            return inner.getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
