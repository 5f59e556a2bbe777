package dev.gpudev.scheduler.app;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.BO;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.Command.DiskAction;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.AccessDecision;
import dev.gpudev.scheduler.port.InMemoryVolumes;
import dev.gpudev.scheduler.port.VolumeQuota;
import dev.gpudev.scheduler.testing.FakeIdentity;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;

/** {@code /gpu disk} as the front-ends call it, over the simulated volumes: whose disks, quotas, and what needs a yes. */
class DisksTest {
    static final Actor ANA_USER = Actor.user(ANA);
    static final Actor BO_USER = Actor.user(BO);
    static final GithubLogin ANA_LOGIN = new GithubLogin("gh-u0ana");
    static final DiskName DATA = new DiskName("data");

    final MutableClock clock = new MutableClock(Fixtures.T0);
    final InMemoryVolumes volumes = new InMemoryVolumes(clock, new VolumeQuota(2, 300, 200, 2, 1), 100);
    final FakeIdentity identity = new FakeIdentity();
    final Disks disks = new Disks(Optional.of(volumes), identity);

    DiskOutcome run(Actor who, String text) {
        return disks.run(who, ((Command.Disk) CommandParser.parse(text)).action());
    }

    @Test
    void eachPersonSeesAndChangesOnlyTheDisksOfTheirOwnGithubLogin() {
        assertThat(run(ANA_USER, "disk create data 50")).isInstanceOf(DiskOutcome.Changed.class);

        assertThat(run(BO_USER, "disk list")).isInstanceOfSatisfying(DiskOutcome.Listed.class, l -> assertThat(l.disks()).isEmpty());
        assertThat(run(BO_USER, "disk snapshot data")).isInstanceOfSatisfying(DiskOutcome.Refused.class,
                r -> assertThat(r.reason()).contains("you have no disk named data"));
        assertThat(run(ANA_USER, "disk list")).isInstanceOfSatisfying(DiskOutcome.Listed.class,
                l -> assertThat(l.disks()).extracting(d -> d.name().value()).containsExactly("data"));
    }

    @Test
    void deleteAsksFirstAndOnlyTheOwnersYesDeletes() {
        run(ANA_USER, "disk create data 50");

        assertThat(run(ANA_USER, "disk delete data")).isInstanceOfSatisfying(DiskOutcome.ConfirmDelete.class,
                c -> assertThat(c.owner()).isEqualTo(ANA_LOGIN));
        assertThat(volumes.disks(ANA_LOGIN)).hasSize(1);

        // Bo presses the button drawn for Ana's disk (or forges its value): nothing goes, not even a "data" of his own
        run(BO_USER, "disk create data 10");
        assertThat(disks.deleteConfirmed(BO_USER, ANA_LOGIN.value(), "data")).isInstanceOf(DiskOutcome.Refused.class);
        assertThat(volumes.disks(ANA_LOGIN)).hasSize(1);
        assertThat(volumes.disks(new GithubLogin("gh-u0bo"))).hasSize(1);

        assertThat(disks.deleteConfirmed(ANA_USER, ANA_LOGIN.value(), "data")).isInstanceOfSatisfying(DiskOutcome.Changed.class,
                c -> assertThat(c.message()).contains("Its snapshots stay"));
        assertThat(volumes.disks(ANA_LOGIN)).isEmpty();
    }

    @Test
    void theHomeAndAMountedDiskAreNeverDeleted() {
        run(ANA_USER, "disk create data 50");
        volumes.mount(new ReservationId("h100-0001"), ANA_LOGIN, DATA);

        assertThat(disks.deleteConfirmed(ANA_USER, ANA_LOGIN.value(), "data")).isInstanceOfSatisfying(DiskOutcome.Refused.class,
                r -> assertThat(r.reason()).contains("mounted by server h100-0001"));
        assertThat(disks.deleteConfirmed(ANA_USER, ANA_LOGIN.value(), "home")).isInstanceOf(DiskOutcome.Refused.class);
        assertThat(volumes.disks(ANA_LOGIN)).extracting(d -> d.name().value()).containsExactly("home", "data");
    }

    @Test
    void quotasAreRefusedWithWhatWouldFitAndCreateNothing() {
        run(ANA_USER, "disk create data 200");

        assertThat(run(ANA_USER, "disk create more 150")).isInstanceOfSatisfying(DiskOutcome.Refused.class,
                r -> assertThat(r.reason()).contains("at most 100 GiB more fits"));
        assertThat(run(ANA_USER, "disk create huge 201")).isInstanceOfSatisfying(DiskOutcome.Refused.class,
                r -> assertThat(r.reason()).contains("a disk is 1 to 200 GiB"));
        assertThat(run(ANA_USER, "disk create Bad_Name 1")).isInstanceOfSatisfying(DiskOutcome.Refused.class,
                r -> assertThat(r.reason()).contains("is not a disk name"));
        assertThat(volumes.disks(ANA_LOGIN)).hasSize(1);
    }

    @Test
    void aBusyDiskIsRefusedToTheNextReservationNamingTheServerThatHasIt() {
        run(ANA_USER, "disk create data 50");
        assertThat(disks.mountRefusal(ANA_USER, "data")).isEmpty();

        volumes.mount(new ReservationId("h100-0001"), ANA_LOGIN, DATA);

        assertThat(disks.mountRefusal(ANA_USER, "data")).hasValueSatisfying(why -> assertThat(why).contains("mounted by server h100-0001"));
        assertThat(disks.mountRefusal(ANA_USER, "nope")).hasValueSatisfying(why -> assertThat(why).contains("you have no disk named nope"));
        assertThat(disks.mountRefusal(BO_USER, "data")).hasValueSatisfying(why -> assertThat(why).contains("you have no disk named data"));
    }

    @Test
    void snapshotAndRestoreBringBackWhatWasWritten() {
        run(ANA_USER, "disk create data 50");
        volumes.write(ANA_LOGIN, DATA, "notes.txt", "first");
        String id = ((DiskOutcome.Changed) run(ANA_USER, "disk snapshot data")).message().replaceAll("(?s).*Snapshot `([^`]+)`.*", "$1");
        volumes.write(ANA_LOGIN, DATA, "notes.txt", "second");

        assertThat(run(ANA_USER, "disk restore data " + id)).isInstanceOf(DiskOutcome.Changed.class);

        assertThat(volumes.files(ANA_LOGIN, DATA)).containsEntry("notes.txt", "first");
        assertThat(run(ANA_USER, "disk snapshots data")).isInstanceOfSatisfying(DiskOutcome.Snapshots.class,
                s -> assertThat(s.snapshots()).hasSize(2));
    }

    @Test
    void failsClosedWhenWhoTheActorIsCannotBeTold() {
        run(ANA_USER, "disk create data 50");
        identity.answers.put(ANA, new AccessDecision.Unavailable("GitHub down"));

        assertThat(disks.run(ANA_USER, new DiskAction.Delete("data", true))).isInstanceOf(DiskOutcome.Refused.class);
        assertThat(disks.mountRefusal(ANA_USER, "data")).isPresent();
        identity.answers.put(ANA, new AccessDecision.Denied("not in the org"));
        assertThat(run(ANA_USER, "disk list")).isEqualTo(new DiskOutcome.Refused("not in the org"));
        assertThat(volumes.disks(ANA_LOGIN)).hasSize(1);
    }

    @Test
    void aClusterWithoutDisksSaysSo() {
        assertThat(Disks.none().run(ANA_USER, new DiskAction.ListDisks())).isEqualTo(new DiskOutcome.Refused(Disks.NO_DISKS));
        assertThat(Disks.none().mountRefusal(ANA_USER, "data")).contains(Disks.NO_DISKS);
    }
}
