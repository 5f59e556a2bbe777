package dev.gpudev.scheduler.engine;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.BO;
import static dev.gpudev.scheduler.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.testing.Fixtures;

class EngineTest {
    static final ServerAccess ACCESS = new ServerAccess("10.0.0.1", 22, "dev", null);
    final Engine engine = new Engine(GpuCatalog.defaults(), Limits.defaults());
    SchedulerState state = SchedulerState.of(List.of(), Fixtures.nodes("h100", 1, 8));
    Instant now = T0;

    Decision on(Event e) {
        Decision d = engine.decide(state, now, e);
        state = d.state();
        return d;
    }

    Reservation submit(String id, int gpus, Duration d) {
        Reservation r = Fixtures.queued(id, id.endsWith("b") ? BO : ANA, gpus, d, now);
        on(new Event.Submitted(r));
        return state.find(r.id()).orElseThrow();
    }

    Reservation started(String id, int gpus, Duration d) {
        Reservation r = submit(id, gpus, d);
        on(new Event.ServerReady(r.id(), ACCESS));
        return state.find(r.id()).orElseThrow();
    }

    static List<Notice.Queued> queued(Decision d) {
        return d.effects().stream().flatMap(e -> e instanceof Effect.Notify(Notice.Queued q) ? Stream.of(q)
                : Stream.empty()).toList();
    }

    @Test
    void aWaitingRequestIsToldItsPositionAndEtaAndToldAgainOnlyWhenTheyChange() {
        Reservation running = started("h100-0001", 8, Duration.ofHours(2));
        Reservation a = Fixtures.queued("h100-000a", ANA, 4, Duration.ofHours(1), now);
        Decision first = on(new Event.Submitted(a));
        assertThat(queued(first)).singleElement().satisfies(q -> {
            assertThat(q.position()).isEqualTo(1);
            assertThat(q.eta()).isEqualTo(running.endsAt());
        });
        now = now.plusSeconds(60);
        Decision other = on(new Event.Submitted(Fixtures.queued("h100-000b", BO, 8, Duration.ofHours(1), now)));
        // fair share: Ana holds the running GPUs, so Bo's fresh request goes ahead and Ana's moves to position 2
        assertThat(queued(other)).extracting(q -> q.reservation().id().value(), Notice.Queued::position)
                .containsExactlyInAnyOrder(tuple("h100-000b", 1), tuple("h100-000a", 2));

        now = now.plusSeconds(60);
        Decision unchanged = on(new Event.Tick());
        assertThat(queued(unchanged)).isEmpty();

        Decision cancel = on(new Event.CancelRequested(running.id(), "done"));
        assertThat(cancel.effects()).filteredOn(Effect.Provision.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((Effect.Provision) e).reservation().id().value()).isEqualTo("h100-000a"));
        // Ana holds nothing now and her request waited longer: it starts, and Bo's keeps position 1 with a new ETA, planned
        // after her 1 h and the provision allowance; he is told earlier, as her first server ended long before its end
        assertThat(engine.plans(state, now).get("h100").waiting()).singleElement()
                .satisfies(e -> assertThat(e.eta()).isEqualTo(now.plus(Duration.ofHours(1)).plus(Limits.defaults().provisionTimeout())));
        double share = state.releases().share(ANA);
        assertThat(share).isLessThan(1);
        assertThat(queued(cancel)).singleElement().satisfies(q -> {
            assertThat(q.reservation().id().value()).isEqualTo("h100-000b");
            assertThat(q.position()).isEqualTo(1);
            long guess = now.plusSeconds((long) Math.ceil(share * 3600)).getEpochSecond();
            assertThat(q.eta()).isEqualTo(Instant.ofEpochSecond((guess + 299) / 300 * 300)); // a guess, on a 5-minute grid
        });
    }

    @Test
    void aQueuedRequestExpiresAfterTheQueueTimeout() {
        started("h100-0001", 8, Duration.ofHours(24));
        Reservation waiting = submit("h100-000a", 8, Duration.ofHours(1));
        now = waiting.requestedAt().plus(Limits.defaults().queueTimeout());
        on(new Event.Tick());
        assertThat(state.find(waiting.id())).isEmpty();
    }

    @Test
    void anExtensionIsGrantedWhenNobodyWaitsAndRefusedNamingTheRequestItWouldDelay() {
        Reservation mine = started("h100-0001", 8, Duration.ofHours(2));
        Decision free = on(new Event.ExtendRequested(mine.id(), Duration.ofHours(1), false));
        assertThat(free.effects()).anyMatch(e -> e instanceof Effect.Notify(Notice.Extended x));

        Reservation waiting = submit("h100-000b", 8, Duration.ofHours(1));
        Decision refused = on(new Event.ExtendRequested(mine.id(), Duration.ofHours(1), false));
        assertThat(refused.effects()).singleElement().isInstanceOfSatisfying(Effect.Refused.class,
                r -> assertThat(r.reason()).contains(waiting.id().value()));
        assertThat(state.find(mine.id()).orElseThrow().endsAt()).isEqualTo(mine.endsAt().plus(Duration.ofHours(1)));

        Decision forced = on(new Event.ExtendRequested(mine.id(), Duration.ofHours(1), true));
        assertThat(forced.effects()).anyMatch(e -> e instanceof Effect.Notify(Notice.Extended x));
    }

    @Test
    void anExtensionThatDelaysNobodyIsGrantedEvenWithAQueue() {
        state = SchedulerState.of(List.of(), Fixtures.nodes("h100", 2, 8));
        Reservation shortOne = started("h100-0001", 4, Duration.ofHours(1));
        started("h100-0002", 8, Duration.ofHours(5));
        submit("h100-000b", 8, Duration.ofHours(1));
        // the queued 8-GPU request needs a whole node: the 4-GPU node frees in 1 h, the other in 5 h; it plans on the first
        Decision d = on(new Event.ExtendRequested(shortOne.id(), Duration.ofHours(1), false));
        assertThat(d.effects()).filteredOn(Effect.Refused.class::isInstance).hasSize(1);
        Decision small = on(new Event.ExtendRequested(state.inState(ReservationState.ACTIVE).getLast().id(), Duration.ofHours(1), false));
        assertThat(small.effects()).noneMatch(Effect.Refused.class::isInstance);
    }

    @Test
    void aRequestNoNodeCanEverHoldIsRejectedAtOnce() {
        Decision d = on(new Event.Submitted(Fixtures.queued("l4-0001", ANA, 1, Duration.ofHours(1), now)));
        assertThat(d.changed()).singleElement().satisfies(r -> assertThat(r.endReason()).isEqualTo(EndReason.REJECTED));
    }

    @Test
    void drainingANodeKeepsNewWorkOffItAndUndrainingStartsTheQueue() {
        on(new Event.Drain(new NodeName("h100-1"), true));
        Reservation r = submit("h100-000a", 1, Duration.ofHours(1));
        assertThat(r.state()).isEqualTo(ReservationState.QUEUED);
        Decision undrain = on(new Event.Drain(new NodeName("h100-1"), false));
        assertThat(undrain.effects()).anyMatch(Effect.Provision.class::isInstance);
    }

    @Test
    void aNewNodeStartsTheQueue() {
        started("h100-0001", 8, Duration.ofHours(4));
        submit("h100-000a", 8, Duration.ofHours(1));
        ClusterSnapshot two = Fixtures.nodes("h100", 2, 8);
        Decision d = on(new Event.ClusterChanged(two));
        assertThat(d.effects()).filteredOn(Effect.Provision.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((Effect.Provision) e).reservation().nodes()).containsExactly(new NodeName("h100-2")));
    }

    @Test
    void theEngineRecordsADeliveryInTheReservationAndSchedulesNothingForIt() {
        Reservation r = started("h100-0001", 4, Duration.ofHours(2));
        Reservation waiting = submit("h100-000b", 8, Duration.ofHours(1));

        Decision shown = on(new Event.Delivered(new Notice.Ready(r), "D0ANA:1.2"));

        assertThat(shown.changed()).singleElement().satisfies(c -> {
            assertThat(c.chatRef()).isEqualTo("D0ANA:1.2");
            assertThat(c.shown()).isEqualTo(ReservationState.ACTIVE);
        });
        assertThat(shown.effects()).as("no queue notice: a delivery starts no scheduling pass").isEmpty();
        assertThat(state.find(waiting.id())).hasValueSatisfying(w -> assertThat(w.state()).isEqualTo(ReservationState.QUEUED));

        assertThat(on(new Event.Delivered(new Notice.Ready(r), "D0ANA:1.2")).changed()).as("the same delivery again").isEmpty();
        assertThat(on(new Event.Delivered(new Notice.Starting(r), "D0ANA:1.2")).changed())
                .as("a late confirmation of an older notice never moves what was shown back").isEmpty();
        assertThat(state.find(r.id()).orElseThrow().shown()).isEqualTo(ReservationState.ACTIVE);
    }
}
