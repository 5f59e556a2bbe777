package dev.gpudev.scheduler.port;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The sandbox's simulated disks keep the rules users will meet on the cluster. */
class InMemoryVolumesTest {
    static final GithubLogin ANA = new GithubLogin("Ana-Dev");
    static final DiskName DATA = new DiskName("data");
    static final ReservationId R1 = new ReservationId("h100-0001");
    static final ReservationId R2 = new ReservationId("h100-0002");

    final MutableClock clock = MutableClock.at("2026-12-05T08:00:00Z");
    final InMemoryVolumes volumes = new InMemoryVolumes(clock, new VolumeQuota(2, 300, 200, 2, 1), 100);

    @Test
    void aFileWrittenOnADiskIsThereForTheNextServerThatMountsIt() {
        volumes.create(ANA, DATA, 100);
        volumes.mount(R1, ANA, DATA);
        volumes.write(ANA, DATA, "ckpt/step-10.pt", "weights");
        volumes.unmount(R1);
        clock.advance(Duration.ofHours(1));
        volumes.mount(R2, new GithubLogin("ana-dev"), DATA);

        assertThat(volumes.files(ANA, DATA)).containsEntry("ckpt/step-10.pt", "weights");
        assertThat(volumes.snapshots(ANA, DATA)).extracting(DiskSnapshot::kind).containsExactly(DiskSnapshot.Kind.END);
        assertThat(volumes.disks(ANA)).extracting(Disk::name, Disk::mountedBy)
                .containsExactly(tuple(DiskName.HOME, R2),
                        tuple(DATA, R2));
    }

    @Test
    void aMountedDiskIsRefusedToASecondServerWithTheServerThatHasIt() {
        volumes.create(ANA, DATA, 100);
        volumes.mount(R1, ANA, DATA);

        assertThat(volumes.checkMount(ANA, DATA)).hasValueSatisfying(why -> assertThat(why).contains("h100-0001"));
        assertThatThrownBy(() -> volumes.mount(R2, ANA, DATA)).isInstanceOf(VolumeRefusal.class).hasMessageContaining("h100-0001");
        assertThatThrownBy(() -> volumes.delete(ANA, DATA)).hasMessageContaining("mounted by server h100-0001");
        assertThatThrownBy(() -> volumes.restore(ANA, DATA, null)).isInstanceOf(VolumeRefusal.class);
    }

    @Test
    void quotasRefuseTheThirdDiskAndTheSizeOverTheTotal() {
        volumes.create(ANA, DATA, 200);
        assertThatThrownBy(() -> volumes.create(ANA, new DiskName("more"), 101)).hasMessageContaining("at most 100 GiB more");
        volumes.create(ANA, new DiskName("more"), 100);
        assertThatThrownBy(() -> volumes.create(ANA, new DiskName("third"), 1)).hasMessageContaining("you have 2 disks");
        assertThatThrownBy(() -> volumes.create(ANA, DiskName.HOME, 1)).hasMessageContaining("persistent home");
        assertThatThrownBy(() -> volumes.create(ANA, DATA, 1)).hasMessageContaining("already");
    }

    @Test
    void retentionKeepsTheNewestAutomaticSnapshotsAndEveryManualOne() {
        volumes.create(ANA, DATA, 100);
        DiskSnapshot manual = volumes.snapshot(ANA, DATA);
        for (ReservationId r : new ReservationId[] {R1, R2, new ReservationId("h100-0003")}) {
            clock.advance(Duration.ofHours(1));
            volumes.mount(r, ANA, DATA);
            volumes.unmount(r);
        }

        assertThat(volumes.snapshots(ANA, DATA)).extracting(DiskSnapshot::kind)
                .containsExactly(DiskSnapshot.Kind.END, DiskSnapshot.Kind.END, DiskSnapshot.Kind.MANUAL);
        assertThat(volumes.snapshots(ANA, DATA)).contains(manual);
        assertThatThrownBy(() -> volumes.snapshot(ANA, DATA)).hasMessageContaining("1 snapshots you took");
    }

    @Test
    void restoreReplacesTheContentsAndKeepsTheReplacedOnesAsASnapshot() {
        volumes.create(ANA, DATA, 100);
        volumes.write(ANA, DATA, "a.txt", "first");
        DiskSnapshot first = volumes.snapshot(ANA, DATA);
        volumes.write(ANA, DATA, "a.txt", "second");

        volumes.restore(ANA, DATA, first.id());

        assertThat(volumes.files(ANA, DATA)).containsEntry("a.txt", "first");
        DiskSnapshot before = volumes.snapshots(ANA, DATA).getFirst();
        assertThat(before.kind()).isEqualTo(DiskSnapshot.Kind.BEFORE_RESTORE);
        volumes.restore(ANA, DATA, before.id());
        assertThat(volumes.files(ANA, DATA)).containsEntry("a.txt", "second");
    }

    @Test
    void aDeletedDiskComesBackFromItsSnapshot() {
        volumes.create(ANA, DATA, 100);
        volumes.write(ANA, DATA, "a.txt", "kept");
        volumes.snapshot(ANA, DATA);
        volumes.delete(ANA, DATA);
        assertThat(volumes.disks(ANA)).isEmpty();

        volumes.restore(ANA, DATA, null);

        assertThat(volumes.files(ANA, DATA)).containsEntry("a.txt", "kept");
        assertThatThrownBy(() -> volumes.restore(ANA, new DiskName("none"), null)).hasMessageContaining("no snapshot");
    }
}
