package dev.gpudev.scheduler.app;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.testing.FakeCluster;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;
import dev.gpudev.scheduler.testing.RecordingNotifier;

/** {@code reserve … --disk NAME}: checked with the request, stored with the reservation, handed to the cluster to mount. */
class DiskReservationTest {
    private final InMemoryReservationStore store = new InMemoryReservationStore();
    private final FakeCluster cluster = new FakeCluster(Fixtures.nodes("h100", 1, 8));
    private Reservations reservations;

    @BeforeEach
    void start() {
        var service = Fixtures.service(store, cluster, new RecordingNotifier(), new MutableClock(Fixtures.T0));
        service.start();
        reservations = new Reservations(service);
    }

    private ReserveOutcome reserve(String text) {
        return reservations.reserve(Actor.user(ANA), (Command.Reserve) CommandParser.parse(text), null);
    }

    @Test
    void theDiskIsStoredWithTheReservationAndTheServerIsAskedToMountIt() {
        var outcome = reserve("reserve h100 1 1h --disk Data");

        assertThat(outcome).isInstanceOf(ReserveOutcome.Accepted.class);
        var id = ((ReserveOutcome.Accepted) outcome).reservation().id();
        assertThat(store.find(id)).hasValueSatisfying(r -> assertThat(r.options().disk()).isEqualTo(new DiskName("data")));
        assertThat(cluster.provisioned).singleElement().satisfies(spec -> assertThat(spec.disk()).isEqualTo(new DiskName("data")));
    }

    @Test
    void withoutADiskOnlyTheHomeIsMounted() {
        reserve("reserve h100 1 1h");

        assertThat(cluster.provisioned).singleElement().satisfies(spec -> assertThat(spec.disk()).isNull());
    }

    @Test
    void aNameThatCannotBeADiskOrTheHomeIsRefusedAtTheCheck() {
        assertThat(reservations.check(Actor.user(ANA), (Command.Reserve) CommandParser.parse("reserve h100 1 1h --disk my_disk")))
                .hasValueSatisfying(why -> assertThat(why).contains("`--disk`").contains("is not a disk name"));
        assertThat(reservations.check(Actor.user(ANA), (Command.Reserve) CommandParser.parse("reserve h100 1 1h --disk home")))
                .hasValueSatisfying(why -> assertThat(why).contains("Your home is mounted on every server"));
        assertThat(reserve("reserve h100 1 1h --disk home")).isInstanceOf(ReserveOutcome.Refused.class);
        assertThat(cluster.provisioned).isEmpty();
    }
}
