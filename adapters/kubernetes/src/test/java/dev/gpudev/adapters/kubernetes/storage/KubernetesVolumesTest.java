package dev.gpudev.adapters.kubernetes.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.adapters.kubernetes.StorageSettings;
import dev.gpudev.adapters.kubernetes.lifecycle.Provisioner;
import dev.gpudev.adapters.kubernetes.server.Labels;
import dev.gpudev.adapters.kubernetes.server.Mounts;
import dev.gpudev.adapters.kubernetes.server.NodeResources;
import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.DiskSnapshot;
import dev.gpudev.scheduler.port.ProvisionException;
import dev.gpudev.scheduler.port.ServerSpec;
import dev.gpudev.scheduler.port.VolumeQuota;
import dev.gpudev.scheduler.port.VolumeRefusal;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Disks and snapshots against fabric8's mock API server in CRUD mode: the objects, their order, and crash points. */
@EnableKubernetesMockClient(crud = true)
class KubernetesVolumesTest {
    static KubernetesClient client;
    static KubernetesMockServer server;
    static final String NS = "gpu-dev";
    static final GithubLogin ANA = new GithubLogin("Ana");
    static final DiskName DATA = new DiskName("data");

    final MutableClock clock = MutableClock.at("2026-12-05T08:00:00Z");
    final KubernetesSettings settings = KubernetesSettings.builder()
            .storage(new StorageSettings("snaps", new VolumeQuota(2, 300, 200, 2, 1), true, "")).build();
    final KubernetesVolumes volumes = new KubernetesVolumes(client, settings, clock);
    final Provisioner provisioner = new Provisioner(client, settings, volumes);

    @BeforeEach
    void emptyTheCluster() throws InterruptedException {
        client.pods().inAnyNamespace().delete();
        client.services().inAnyNamespace().delete();
        client.secrets().inAnyNamespace().delete();
        client.persistentVolumeClaims().inAnyNamespace().delete();
        client.persistentVolumes().delete();
        client.resources(VolumeSnapshot.class).inAnyNamespace().delete();
        while (server.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
            // forget the requests of earlier tests
        }
    }

    @Test
    void aServerWithADiskGetsItsClaimsBeforeItsPodAndItsSnapshotsBeforeItsPodIsDeleted() throws InterruptedException {
        volumes.create(ANA, DATA, 50);
        drain();
        provision("h100-0001", DATA, "us-east-2a");

        assertThat(requests()).filteredOn(r -> r.startsWith("POST")).containsExactly("POST persistentvolumeclaims",
                "POST secrets", "POST services", "POST pods");
        assertThat(client.pods().inNamespace(NS).withName("gpu-dev-h100-0001-0").get().getSpec().getVolumes())
                .filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName())
                .containsExactly("gpu-dev-home-ana", "gpu-dev-disk-ana.data.0");

        provisioner.release(new ReservationId("h100-0001"));

        List<String> requests = requests();
        int lastSnapshot = lastIndexOf(requests, "POST volumesnapshots");
        assertThat(requests.stream().filter(r -> r.startsWith("POST volumesnapshots"))).hasSize(2);
        assertThat(lastSnapshot).isLessThan(requests.indexOf("DELETE pods"));
        assertThat(volumes.snapshots(ANA, DATA)).singleElement()
                .satisfies(s -> assertThat(s.kind()).isEqualTo(DiskSnapshot.Kind.END))
                .satisfies(s -> assertThat(s.id()).isEqualTo("end-h100-0001"));
        assertThat(volumes.snapshots(ANA, DiskName.HOME)).hasSize(1);
        // the disks outlive the server
        assertThat(client.persistentVolumeClaims().inNamespace(NS).list().getItems()).hasSize(2);
    }

    @Test
    void aDiskMountedByOneServerIsRefusedToTheNextWithTheServerThatHasIt() {
        volumes.create(ANA, DATA, 50);
        provision("h100-0001", DATA, "us-east-2a");

        assertThatThrownBy(() -> provision("h100-0002", DATA, "us-east-2a"))
                .isInstanceOf(ProvisionException.Permanent.class).hasMessageContaining("mounted by server h100-0001");
        assertThat(client.pods().inNamespace(NS).withName("gpu-dev-h100-0002-0").get()).isNull();
        assertThat(volumes.checkMount(ANA, DATA)).hasValueSatisfying(m -> assertThat(m).contains("h100-0001"));
        assertThatThrownBy(() -> volumes.delete(ANA, DATA)).isInstanceOf(VolumeRefusal.class).hasMessageContaining("h100-0001");
        assertThat(volumes.disks(ANA)).extracting(d -> d.name().value() + "@" + d.mountedBy())
                .containsExactly("home@h100-0001", "data@h100-0001");

        provisioner.release(new ReservationId("h100-0001"));
        provision("h100-0002", DATA, "us-east-2a");
        assertThat(client.pods().inNamespace(NS).withName("gpu-dev-h100-0002-0").get()).isNotNull();
    }

    @Test
    void quotasRefuseDisksOverTheCountOrTheTotalAndCreateNothing() {
        volumes.create(ANA, DATA, 200);
        assertThatThrownBy(() -> volumes.create(ANA, new DiskName("big"), 101)).isInstanceOf(VolumeRefusal.class)
                .hasMessageContaining("at most 100 GiB more");
        volumes.create(ANA, new DiskName("more"), 100);
        assertThatThrownBy(() -> volumes.create(ANA, new DiskName("third"), 1)).hasMessageContaining("you have 2 disks");
        assertThatThrownBy(() -> volumes.create(ANA, DATA, 1)).hasMessageContaining("already");
        assertThat(client.persistentVolumeClaims().inNamespace(NS).list().getItems()).extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrder("gpu-dev-disk-ana.data.0", "gpu-dev-disk-ana.more.0");
        // other users have their own quota
        volumes.create(new GithubLogin("bo"), DATA, 200);
    }

    @Test
    void retentionDeletesOnlyAutomaticSnapshotsBeyondTheNewestReadyOnesAndNeverOneARestoreReads() {
        volumes.create(ANA, DATA, 50);
        String claim = "gpu-dev-disk-ana.data.0";
        snapshot("m-1", claim, DiskSnapshot.Kind.MANUAL, "2026-12-01T00:00:00Z", true);
        snapshot("end-old", claim, DiskSnapshot.Kind.END, "2026-12-02T00:00:00Z", true);
        snapshot("end-read", claim, DiskSnapshot.Kind.END, "2026-12-02T06:00:00Z", true);
        snapshot("end-mid", claim, DiskSnapshot.Kind.END, "2026-12-03T00:00:00Z", true);
        snapshot("end-late", claim, DiskSnapshot.Kind.END, "2026-12-03T12:00:00Z", true);
        snapshot("end-new", claim, DiskSnapshot.Kind.END, "2026-12-04T00:00:00Z", false);
        // a restore in flight reads end-read: its claim is not Bound yet
        client.resource(DiskObjects.claim(ANA, DATA, 1, "50Gi", settings, DiskObjects.snapshotName(ANA, DATA, "end-read"))).create();
        client.persistentVolumeClaims().inNamespace(NS).withName("gpu-dev-disk-ana.data.1").delete();
        client.resource(new PersistentVolumeClaimBuilder(DiskObjects.claim(ANA, DATA, 0, "50Gi", settings,
                DiskObjects.snapshotName(ANA, DATA, "end-read"))).editMetadata().withName("restoring").endMetadata().build()).create();
        clock.set(Instant.parse("2026-12-05T00:00:00Z"));
        client.resource(new PodBuilder().withNewMetadata().withName("gpu-dev-h100-0009-0").withNamespace(NS)
                .addToLabels(Labels.of(new ReservationId("h100-0009"))).endMetadata()
                .withNewSpec().addNewVolume().withName("disk").withNewPersistentVolumeClaim().withClaimName(claim)
                .endPersistentVolumeClaim().endVolume().addNewContainer().withName("dev").withImage("x").endContainer().endSpec()
                .build()).create();

        volumes.ended(new ReservationId("h100-0009"));

        // kept: the 2 newest ready automatic ones (end-h100-0009 is not ready in the mock: no controller), the ones
        // not ready yet, the manual one, and the one a restore reads; end-old goes
        assertThat(volumes.snapshots(ANA, DATA)).extracting(DiskSnapshot::id)
                .containsExactly("end-h100-0009", "end-new", "end-late", "end-mid", "end-read", "m-1");
        volumes.ended(new ReservationId("h100-0009"));
        assertThat(volumes.snapshots(ANA, DATA)).hasSize(6);
    }

    @Test
    void aHomeInAnotherZoneMovesBySnapshotAndTheOldGenerationGoesOnlyOnceTheNewOneIsBound() {
        bound(DiskObjects.claim(ANA, DiskName.HOME, 0, "100Gi", settings, null), "pv-home-a", "us-east-2a");

        Mounts m = volumes.prepare(new ReservationId("h100-0001"), ANA, null, "us-east-2b");

        assertThat(m.home()).isEqualTo("gpu-dev-home-ana.1");
        PersistentVolumeClaim next = client.persistentVolumeClaims().inNamespace(NS).withName("gpu-dev-home-ana.1").get();
        assertThat(next.getSpec().getDataSource().getName()).isEqualTo("gpu-dev-snap-ana.home.move-h100-0001");
        assertThat(client.resources(VolumeSnapshot.class).inNamespace(NS).withName("gpu-dev-snap-ana.home.move-h100-0001").get()
                .getSpec().source().persistentVolumeClaimName()).isEqualTo("gpu-dev-home-ana");

        // crash before the new claim was made: the retry makes it from the same snapshot, and no second snapshot
        client.persistentVolumeClaims().inNamespace(NS).withName("gpu-dev-home-ana.1").delete();
        assertThat(volumes.prepare(new ReservationId("h100-0001"), ANA, null, "us-east-2b").home()).isEqualTo("gpu-dev-home-ana.1");
        assertThat(client.resources(VolumeSnapshot.class).inNamespace(NS).list().getItems()).hasSize(1);

        volumes.reconcile();
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("gpu-dev-home-ana").get()).as("not Bound yet").isNotNull();

        bound(client.persistentVolumeClaims().inNamespace(NS).withName("gpu-dev-home-ana.1").get(), "pv-home-b", "us-east-2b");
        volumes.reconcile();
        assertThat(client.persistentVolumeClaims().inNamespace(NS).list().getItems()).extracting(c -> c.getMetadata().getName())
                .containsExactly("gpu-dev-home-ana.1");
        assertThat(volumes.disks(ANA)).singleElement().satisfies(d -> assertThat(d.zone()).isEqualTo("us-east-2b"));
        // same zone now: no move
        assertThat(volumes.prepare(new ReservationId("h100-0002"), ANA, null, "us-east-2b").home()).isEqualTo("gpu-dev-home-ana.1");
    }

    @Test
    void aMoveWhoseSnapshotFailedIsUndoneAndTheOldGenerationStaysTheDisk() {
        bound(DiskObjects.claim(ANA, DiskName.HOME, 0, "100Gi", settings, null), "pv-home-a", "us-east-2a");
        volumes.prepare(new ReservationId("h100-0001"), ANA, null, "us-east-2b");
        VolumeSnapshot failed = client.resources(VolumeSnapshot.class).inNamespace(NS).withName("gpu-dev-snap-ana.home.move-h100-0001").get();
        failed.setStatus(new VolumeSnapshot.Status(false, null, new VolumeSnapshot.Error("quota")));
        client.resource(failed).inNamespace(NS).updateStatus();

        volumes.reconcile();

        assertThat(client.persistentVolumeClaims().inNamespace(NS).list().getItems()).extracting(c -> c.getMetadata().getName())
                .containsExactly("gpu-dev-home-ana");
    }

    @Test
    void aLostHomeComesBackFromItsNewestReadySnapshotNotEmpty() {
        snapshot("end-h100-0001", "gpu-dev-home-ana", DiskSnapshot.Kind.END, "2026-12-01T00:00:00Z", true, DiskName.HOME);
        snapshot("end-h100-0002", "gpu-dev-home-ana", DiskSnapshot.Kind.END, "2026-12-02T00:00:00Z", false, DiskName.HOME);

        volumes.prepare(new ReservationId("h100-0003"), ANA, null, "us-east-2a");

        assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("gpu-dev-home-ana").get().getSpec().getDataSource().getName())
                .isEqualTo("gpu-dev-snap-ana.home.end-h100-0001");
    }

    @Test
    void restoreKeepsWhatItReplacesAndMakesTheNextGenerationFromTheSnapshot() {
        volumes.create(ANA, DATA, 50);
        snapshot("m-1", "gpu-dev-disk-ana.data.0", DiskSnapshot.Kind.MANUAL, "2026-12-01T00:00:00Z", true);

        volumes.restore(ANA, DATA, "m-1");

        assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("gpu-dev-disk-ana.data.1").get().getSpec()
                .getDataSource().getName()).isEqualTo("gpu-dev-snap-ana.data.m-1");
        assertThat(volumes.snapshots(ANA, DATA)).extracting(DiskSnapshot::kind)
                .containsExactly(DiskSnapshot.Kind.BEFORE_RESTORE, DiskSnapshot.Kind.MANUAL);
        assertThatThrownBy(() -> volumes.restore(ANA, DATA, "nope")).isInstanceOf(VolumeRefusal.class).hasMessageContaining("no snapshot nope");
        assertThatThrownBy(() -> volumes.snapshot(ANA, DATA)).hasMessageContaining("1 snapshots you took");
        // the next server mounts the restored generation
        assertThat(volumes.prepare(new ReservationId("h100-0001"), ANA, DATA, "us-east-2a").disk()).isEqualTo("gpu-dev-disk-ana.data.1");
    }

    // ---- helpers

    void provision(String id, DiskName disk, String zone) {
        Reservation r = Reservation.queued(new ReservationId(id), Fixtures.ANA, "h100", 8, Duration.ofHours(2), RequestOptions.NONE,
                Fixtures.T0).provisioning(List.of(new NodeName("gpu-a")), Fixtures.T0);
        provisioner.provision(new ServerSpec(r, ANA, List.of(Fixtures.ED25519), disk), 8, n -> NodeResources.UNKNOWN, n -> zone);
    }

    void snapshot(String id, String claim, DiskSnapshot.Kind kind, String at, boolean ready) {
        snapshot(id, claim, kind, at, ready, DATA);
    }

    void snapshot(String id, String claim, DiskSnapshot.Kind kind, String at, boolean ready, DiskName disk) {
        VolumeSnapshot v = DiskObjects.snapshot(ANA, disk, id, claim, kind, Instant.parse(at), settings);
        v.setStatus(new VolumeSnapshot.Status(ready, "50Gi", null));
        client.resource(v).create();
    }

    void bound(PersistentVolumeClaim claim, String volume, String zone) {
        client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName(volume).endMetadata()
                .withNewSpec().withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
                .withKey("topology.kubernetes.io/zone").withOperator("In").withValues(zone).endMatchExpression()
                .endNodeSelectorTerm().endRequired().endNodeAffinity().endSpec().build()).create();
        PersistentVolumeClaim c = new PersistentVolumeClaimBuilder(claim).editSpec().withVolumeName(volume).endSpec()
                .withNewStatus().withPhase("Bound").endStatus().build();
        client.persistentVolumeClaims().inNamespace(NS).withName(claim.getMetadata().getName()).delete();
        c.getMetadata().setResourceVersion(null);
        client.resource(c).inNamespace(NS).create();
    }

    void drain() throws InterruptedException {
        while (server.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
            // skip
        }
    }

    List<String> requests() throws InterruptedException {
        List<String> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            String[] path = r.getPath().split("\\?")[0].split("/");
            out.add(r.getMethod() + " " + path[path.length - 1]);
        }
        return out;
    }

    static int lastIndexOf(List<String> list, String prefix) {
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
