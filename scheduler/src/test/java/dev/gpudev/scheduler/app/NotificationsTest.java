package dev.gpudev.scheduler.app;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.BO;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.Subscription;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.port.InMemorySubscriptionStore;
import dev.gpudev.scheduler.service.ReservationService;
import dev.gpudev.scheduler.testing.FakeCluster;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;
import dev.gpudev.scheduler.testing.RecordingNotifier;

/** {@code /gpu notify} as the chat and the leader's runner call it, over the real service and engine. */
class NotificationsTest {
    private static final Actor ANA_USER = Actor.user(ANA);
    private static final Actor BO_USER = Actor.user(BO);
    private static final Actor CARL = Actor.user(new UserId("U0CARL"));

    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final InMemoryReservationStore store = new InMemoryReservationStore();
    private final InMemorySubscriptionStore subscriptions = new InMemorySubscriptionStore();
    private final FakeCluster cluster = new FakeCluster(Fixtures.nodes("h100", 2, 8));
    private ReservationService service;
    private Notifications notifications;

    @BeforeEach
    void start() {
        service = Fixtures.service(store, cluster, new RecordingNotifier(), clock);
        service.start();
        notifications = restarted();
    }

    /** A new leader's view of the same stores. */
    private Notifications restarted() {
        Notifications n = new Notifications(service, subscriptions, new Notifications.Settings(2, Duration.ofDays(1)), new Random(3));
        n.start();
        return n;
    }

    private Subscription watching(Actor who, int gpus, Duration d) {
        var outcome = notifications.subscribe(who, "h100", gpus, d);
        assertThat(outcome).isInstanceOf(Notifications.Subscribed.Watching.class);
        return ((Notifications.Subscribed.Watching) outcome).subscription();
    }

    @Test
    void firesOnceWhenAReleaseLetsTheRequestStartAndIsOwedUntilDelivered() {
        Reservation first = Fixtures.accepted(service, ANA, "reserve h100 8 2h");
        Fixtures.accepted(service, ANA, "reserve h100 8 2h");
        Subscription bos = watching(BO_USER, 8, Duration.ofHours(2));
        assertThat(notifications.due()).isEmpty();

        service.cancel(ANA, first.id().value(), false);

        List<Subscription> due = notifications.due();
        assertThat(due).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo(bos.id());
            assertThat(s.firedAt()).isEqualTo(clock.instant());
        });
        assertThat(notifications.mine(BO_USER)).as("a fired subscription has ended").isEmpty();
        clock.advance(Duration.ofMinutes(1));
        assertThat(notifications.due()).as("owed again, not fired again").singleElement()
                .satisfies(s -> assertThat(s.firedAt()).isEqualTo(Fixtures.T0));
        notifications.delivered(due.getFirst());
        assertThat(notifications.due()).isEmpty();
    }

    @Test
    void anUndrainedNodeFiresAndADrainedOneDoesNot() {
        service.drain(new NodeName("h100-1"), true);
        service.drain(new NodeName("h100-2"), true);
        Subscription bos = watching(BO_USER, 8, Duration.ofHours(1));
        assertThat(notifications.due()).isEmpty();

        service.drain(new NodeName("h100-2"), false);

        assertThat(notifications.due()).extracting(Subscription::id).containsExactly(bos.id());
    }

    @Test
    void aNewNodeFires() {
        Fixtures.accepted(service, ANA, "reserve h100 8 2h");
        Fixtures.accepted(service, ANA, "reserve h100 8 2h");
        Subscription bos = watching(BO_USER, 8, Duration.ofHours(1));
        assertThat(notifications.due()).isEmpty();

        cluster.change(Fixtures.nodes("h100", 3, 8));

        assertThat(notifications.due()).extracting(Subscription::id).containsExactly(bos.id());
    }

    @Test
    void aCrashBetweenFiredAndTheDmLeavesItOwedToTheNextLeaderAndNeverFiresTwice() {
        Reservation first = Fixtures.accepted(service, ANA, "reserve h100 8 2h");
        Fixtures.accepted(service, ANA, "reserve h100 8 2h");
        Subscription bos = watching(BO_USER, 8, Duration.ofHours(1));
        service.cancel(ANA, first.id().value(), false);
        assertThat(notifications.due()).hasSize(1);
        // the replica dies here: "fired" is stored, the DM never went out

        clock.advance(Duration.ofMinutes(5));
        Notifications next = restarted();
        List<Subscription> owed = next.due();
        assertThat(owed).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo(bos.id());
            assertThat(s.firedAt()).isEqualTo(Fixtures.T0);
        });
        next.delivered(owed.getFirst());

        assertThat(restarted().due()).as("delivered is stored too").isEmpty();
    }

    @Test
    void idleGpusPromisedToAQueuedRequestDoNotFireButABackfillThatEndsInTimeIsFreeNow() {
        Fixtures.accepted(service, ANA, "reserve h100 8 8h");
        Fixtures.accepted(service, ANA, "reserve h100 4 1h");
        Fixtures.accepted(service, CARL.user(), "reserve h100 8 4h");
        assertThat(service.state().find(service.state().live().values().stream().filter(r -> r.owner().equals(CARL.user()))
                .findFirst().orElseThrow().id()).orElseThrow().state()).isEqualTo(ReservationState.QUEUED);

        Subscription four = watching(BO_USER, 4, Duration.ofHours(4));
        assertThat(notifications.due()).as("4 GPUs are idle, but Carl is promised them within the hour").isEmpty();
        assertThat(notifications.subscribe(BO_USER, "h100", 4, Duration.ofMinutes(30)))
                .isEqualTo(new Notifications.Subscribed.FreeNow("h100", 4, Duration.ofMinutes(30)));
        assertThat(notifications.mine(BO_USER)).containsExactly(four);
    }

    @Test
    void onlyTheSubscribersPressReservesAndOnlyOnce() {
        Reservation first = Fixtures.accepted(service, ANA, "reserve h100 8 2h");
        Fixtures.accepted(service, ANA, "reserve h100 8 2h");
        Subscription bos = watching(BO_USER, 8, Duration.ofHours(1));
        service.cancel(ANA, first.id().value(), false);
        notifications.delivered(notifications.due().getFirst());

        assertThat(notifications.reserve(ANA_USER, bos.id())).isInstanceOf(ReserveOutcome.Refused.class);
        assertThat(notifications.reserve(BO_USER, bos.id())).isInstanceOfSatisfying(ReserveOutcome.Accepted.class, a -> {
            assertThat(a.reservation().gpus()).isEqualTo(8);
            assertThat(a.reservation().duration()).isEqualTo(Duration.ofHours(1));
        });
        assertThat(notifications.reserve(BO_USER, bos.id())).isInstanceOf(ReserveOutcome.Duplicate.class);
        assertThat(service.state().live().values()).filteredOn(r -> r.owner().equals(BO)).hasSize(1);
        assertThat(service.state().live().values()).filteredOn(r -> r.owner().equals(ANA)).hasSize(1);
    }

    @Test
    void queueInsteadEndsTheSubscriptionAndASecondPressReservesNothingMore() {
        Fixtures.accepted(service, ANA, "reserve h100 8 2h");
        Fixtures.accepted(service, ANA, "reserve h100 8 2h");
        var outcome = (Notifications.Subscribed.Watching) notifications.subscribe(BO_USER, "h100", 8, Duration.ofHours(1));
        assertThat(outcome.firstInLine()).isTrue();

        assertThat(notifications.reserve(BO_USER, outcome.subscription().id())).isInstanceOf(ReserveOutcome.Accepted.class);
        assertThat(notifications.reserve(BO_USER, outcome.subscription().id())).isInstanceOf(ReserveOutcome.Duplicate.class);
        assertThat(notifications.mine(BO_USER)).isEmpty();
        assertThat(notifications.due()).as("it never fires after it queued").isEmpty();
        assertThat(service.state().live().values()).filteredOn(r -> r.owner().equals(BO)).hasSize(1);
    }

    @Test
    void theSameWishMergesAndThePerPersonLimitHolds() {
        Fixtures.accepted(service, ANA, "reserve h100 8 2h");
        Fixtures.accepted(service, ANA, "reserve h100 8 2h");
        Subscription first = watching(BO_USER, 8, Duration.ofHours(1));
        clock.advance(Duration.ofHours(3).minusMinutes(59));
        var again = (Notifications.Subscribed.Watching) notifications.subscribe(BO_USER, "h100", 8, Duration.ofHours(2));
        assertThat(again.merged()).isTrue();
        assertThat(again.subscription().id()).isEqualTo(first.id());
        assertThat(again.subscription().duration()).isEqualTo(Duration.ofHours(2));
        assertThat(again.subscription().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(1)));

        watching(BO_USER, 4, Duration.ofHours(1));
        assertThat(notifications.subscribe(BO_USER, "h100", 2, Duration.ofHours(1)))
                .isInstanceOfSatisfying(Notifications.Subscribed.Refused.class, r -> assertThat(r.reason()).contains("/gpu notify cancel"));
        assertThat(notifications.mine(BO_USER)).hasSize(2);
    }

    @Test
    void cancelStopsOnlyOnesOwnUnlessAdmin() {
        Fixtures.accepted(service, ANA, "reserve h100 8 2h");
        Fixtures.accepted(service, ANA, "reserve h100 8 2h");
        Subscription bos = watching(BO_USER, 8, Duration.ofHours(1));
        Subscription bos4 = watching(BO_USER, 4, Duration.ofHours(1));
        Subscription carls = watching(CARL, 8, Duration.ofHours(1));

        assertThat(notifications.cancel(ANA_USER, bos.id())).isInstanceOf(ActionOutcome.Refused.class);
        assertThat(notifications.cancel(BO_USER, bos.id())).isInstanceOf(ActionOutcome.Changed.class);
        assertThat(notifications.mine(BO_USER)).containsExactly(bos4);
        assertThat(notifications.cancel(BO_USER, null)).isInstanceOf(ActionOutcome.Changed.class);
        assertThat(notifications.mine(BO_USER)).isEmpty();
        assertThat(notifications.cancel(Actor.admin(new UserId("U0ADMIN")), carls.id())).isInstanceOf(ActionOutcome.Changed.class);
        assertThat(subscriptions.all()).isEmpty();
    }

    @Test
    void absurdRequestsAreRefusedWithWhatWouldWork() {
        assertThat(notifications.subscribe(BO_USER, "h10", 8, Duration.ofHours(1)))
                .isInstanceOfSatisfying(Notifications.Subscribed.Refused.class, r -> assertThat(r.reason()).contains("h100"));
        assertThat(notifications.subscribe(BO_USER, "h100", 16, Duration.ofHours(1)))
                .isInstanceOfSatisfying(Notifications.Subscribed.Refused.class, r -> assertThat(r.reason()).contains("/gpu reserve h100 16 1h"));
        assertThat(notifications.subscribe(BO_USER, "h100", 3, Duration.ofHours(1))).isInstanceOf(Notifications.Subscribed.Refused.class);
        assertThat(notifications.subscribe(BO_USER, "h100", 8, Duration.ofDays(30))).isInstanceOf(Notifications.Subscribed.Refused.class);
        assertThat(subscriptions.all()).isEmpty();
    }

    @Test
    void aSubscriptionEndsAfterItsDayUnfired() {
        Reservation first = Fixtures.accepted(service, ANA, "reserve h100 8 2h");
        Fixtures.accepted(service, ANA, "reserve h100 8 2h");
        Subscription bos = watching(BO_USER, 8, Duration.ofHours(1));
        service.extend(ANA, first.id().value(), Duration.ofHours(24), false);
        clock.advance(Duration.ofDays(1));

        assertThat(notifications.due()).isEmpty();
        assertThat(subscriptions.all()).extracting(Subscription::id).doesNotContain(bos.id());
        assertThat(notifications.reserve(BO_USER, bos.id())).isInstanceOf(ReserveOutcome.Refused.class);
    }
}
