package dev.gpudev.adapters.aws;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.BO;
import static dev.gpudev.scheduler.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.port.LeaderTerm;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.port.StoreConflictException;
import dev.gpudev.scheduler.port.StoreFencedException;
import dev.gpudev.scheduler.testing.Fixtures;

/**
 * What every {@link ReservationStore} must do so that two replicas that both believe they lead never book a node
 * twice: the ledger's term, bookings refused for an older term, reservation writes refused after a newer term's.
 * One subclass per implementation; {@link #other} is a second replica's store on the same data.
 */
abstract class FencingContract {
    private static final NodeName NODE = new NodeName("h100-1");
    private static final int CAPACITY = 8;

    ReservationStore store;

    abstract ReservationStore newStore();

    abstract ReservationStore other();

    @BeforeEach
    void fresh() {
        store = newStore();
    }

    @Test
    void eachLeadTakesTheNextTermAndAnOlderTermsBookingIsRefused() {
        LeaderTerm first = store.lead();
        store.book(first.value(), Set.of(new ReservationId("h100-0f01")));

        LeaderTerm second = other().lead();

        assertThat(second.value()).isEqualTo(first.value() + 1);
        assertThat(second.booked()).containsExactly(new ReservationId("h100-0f01"));
        assertThatThrownBy(() -> store.book(first.value(), Set.of(new ReservationId("h100-0f02"))))
                .isInstanceOf(StoreFencedException.class);
        other().book(second.value(), Set.of(new ReservationId("h100-0f03")));
        assertThat(store.lead().booked()).containsExactly(new ReservationId("h100-0f03"));
    }

    @Test
    void aReservationWrittenInANewerTermRefusesAnOlderTermsWriteAndAStaleVersionIsStillARace() {
        long older = store.lead().value();
        Reservation r = store.create(Fixtures.queued("h100-0f04", ANA, 8, Duration.ofHours(1), T0), older);
        long newer = other().lead().value();
        Reservation stamped = other().update(r, newer);

        assertThatThrownBy(() -> store.update(stamped.withDetail("old leader"), older)).isInstanceOf(StoreFencedException.class);
        assertThatThrownBy(() -> other().update(r.withDetail("stale"), newer))
                .isInstanceOf(StoreConflictException.class).isNotInstanceOf(StoreFencedException.class);
        assertThat(other().update(stamped.withDetail("new leader"), newer).detail()).isEqualTo("new leader");
        assertThat(store.find(r.id()).orElseThrow().detail()).isEqualTo("new leader");
    }

    @Test
    void anItemWrittenOutsideAnyTermTakesAnyTermAndThenRefusesTermlessWrites() {
        Reservation r = store.create(Fixtures.queued("h100-0f05", ANA, 8, Duration.ofHours(1), T0));
        long term = store.lead().value();

        Reservation led = store.update(r.withDetail("led"), term);

        assertThatThrownBy(() -> store.update(led.withDetail("termless"))).isInstanceOf(StoreFencedException.class);
    }

    /**
     * Leader A places an 8-GPU request on an 8-GPU node in three writes (create it queued, book, write it placed);
     * leader B takes over after {@code aWrites} of them and, following the same protocol, places its own request if
     * what it reads leaves the node free. Whatever the interleaving the node is booked at most once in the store,
     * and A, if B placed, was refused for its term.
     */
    @ParameterizedTest(name = "B takes over after {0} of A's writes")
    @ValueSource(ints = {0, 1, 2, 3})
    void twoLeadersInterleavingNeverBookANodeBeyondItsCapacity(int aWrites) {
        Leader a = new Leader(store);
        Reservation mine = Fixtures.queued("h100-0f0a", ANA, 8, Duration.ofHours(1), T0);
        a.takeOver();
        List<Runnable> aSteps = a.placement(mine);
        for (int i = 0; i < aWrites; i++) {
            aSteps.get(i).run();
        }

        Leader b = new Leader(other());
        b.takeOver();
        boolean bPlaced = b.free() >= CAPACITY;
        if (bPlaced) {
            b.placement(Fixtures.queued("h100-0f0b", BO, 8, Duration.ofHours(1), T0)).forEach(Runnable::run);
        }
        Optional<RuntimeException> aRefused = a.attempt(aSteps.subList(aWrites, aSteps.size()));

        int held = store.live().stream().filter(r -> r.state().holdsGpus() && r.nodes().contains(NODE)).mapToInt(Reservation::gpus).sum();
        assertThat(held).isEqualTo(CAPACITY);
        assertThat(bPlaced).isEqualTo(aWrites < 3);
        if (bPlaced) {
            assertThat(aRefused).containsInstanceOf(StoreFencedException.class);
        } else {
            assertThat(aRefused).isEmpty();
        }
    }

    /** The protocol ReservationService follows, reduced to one node. */
    private static final class Leader {
        private final ReservationStore store;
        private long term;
        private final List<Reservation> seen = new ArrayList<>();

        Leader(ReservationStore store) {
            this.store = store;
        }

        /** Takes a term, settles the last leader's booking (a booked reservation still queued is written in this term), reads. */
        void takeOver() {
            LeaderTerm taken = store.lead();
            term = taken.value();
            for (ReservationId id : taken.booked()) {
                store.find(id).filter(r -> r.state() == ReservationState.QUEUED).ifPresent(r -> store.update(r, term));
            }
            seen.addAll(store.live());
            taken.booked().forEach(id -> store.find(id).ifPresent(seen::add));
        }

        int free() {
            return CAPACITY - seen.stream().filter(r -> r.state().holdsGpus() && r.nodes().contains(NODE))
                    .map(Reservation::id).distinct().mapToInt(id -> 8).sum();
        }

        List<Runnable> placement(Reservation asked) {
            Reservation[] created = new Reservation[1];
            return List.of(
                    () -> created[0] = store.create(asked, term),
                    () -> store.book(term, Set.of(asked.id())),
                    () -> store.update(created[0].provisioning(List.of(NODE), T0), term));
        }

        Optional<RuntimeException> attempt(List<Runnable> steps) {
            try {
                steps.forEach(Runnable::run);
                return Optional.empty();
            } catch (StoreFencedException | StoreConflictException e) {
                return Optional.of(e);
            }
        }
    }
}
