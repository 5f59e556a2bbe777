package dev.gpudev.adapters.kubernetes.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.Test;

import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.adapters.kubernetes.StorageSettings;
import dev.gpudev.adapters.kubernetes.lifecycle.Provisioner;
import dev.gpudev.adapters.kubernetes.server.Labels;
import dev.gpudev.adapters.kubernetes.server.NodeResources;
import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.DiskSnapshot;
import dev.gpudev.scheduler.port.ServerSpec;
import dev.gpudev.scheduler.port.VolumeQuota;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;

/**
 * A reservation's end, crashed at every request it makes to the API server (fabric8's mock server in CRUD mode): the
 * bot stops there, and after the restart the reconcile releases the orphan server again ({@link Provisioner#release},
 * what {@code KubernetesCluster.reconcile} calls for a server whose reservation ended). Whatever the crash point, each
 * disk the server mounted ends with exactly one END snapshot, the pods go only after the snapshots were asked for, and
 * no disk is deleted.
 */
@EnableKubernetesMockClient(crud = true)
class EndSnapshotCrashTest {
    static KubernetesClient client;
    static KubernetesMockServer server;
    static final String NS = "gpu-dev";
    static final GithubLogin ANA = new GithubLogin("ana");
    static final DiskName DATA = new DiskName("data");
    static final ReservationId ID = new ReservationId("h100-0001");

    final MutableClock clock = MutableClock.at("2026-12-05T08:00:00Z");
    final KubernetesSettings settings = KubernetesSettings.builder()
            .storage(new StorageSettings("snaps", new VolumeQuota(2, 300, 200, 2, 1), true, "")).build();

    @Test
    void everyCrashPointOfAnEndIsFinishedByTheReconcileWithOneEndSnapshotPerDiskTakenBeforeThePodsGo() throws Exception {
        int clean = requestsOfACleanRelease();
        assertThat(clean).as("a release reads, snapshots two disks and deletes the server").isGreaterThanOrEqualTo(6);

        for (int crashAt = 0; crashAt < clean; crashAt++) {
            serverWithADisk();
            List<String> beforeCrash = new ArrayList<>();
            try (KubernetesClient dying = dyingAt(crashAt)) {
                new Provisioner(dying, settings, new KubernetesVolumes(dying, settings, clock)).release(ID);
            } catch (RuntimeException crashed) {
                // the bot stopped here
            }
            beforeCrash.addAll(requests());
            assertThat(deletedPodsBeforeBothSnapshots(beforeCrash)).as("crash at request %d: pods deleted before the snapshots", crashAt).isFalse();

            // restart: a new adapter on a healthy client; the reconcile finds the orphan server and releases it
            KubernetesVolumes volumes = new KubernetesVolumes(client, settings, clock);
            new Provisioner(client, settings, volumes).release(ID);
            List<String> recovery = requests();

            String at = "crash at request " + crashAt + " of " + clean + " " + beforeCrash + " then " + recovery;
            for (DiskName disk : List.of(DiskName.HOME, DATA)) {
                assertThat(volumes.snapshots(ANA, disk)).as(at).singleElement().satisfies(s -> {
                    assertThat(s.id()).isEqualTo("end-" + ID.value());
                    assertThat(s.kind()).isEqualTo(DiskSnapshot.Kind.END);
                });
            }
            assertThat(client.pods().inNamespace(NS).withLabels(Labels.of(ID)).list().getItems()).as(at).isEmpty();
            assertThat(client.services().inNamespace(NS).withLabels(Labels.of(ID)).list().getItems()).as(at).isEmpty();
            assertThat(client.secrets().inNamespace(NS).withLabels(Labels.of(ID)).list().getItems()).as(at).isEmpty();
            assertThat(client.persistentVolumeClaims().inNamespace(NS).list().getItems()).as(at + ": the disks stay").hasSize(2);
            assertThat(deletedPodsBeforeBothSnapshots(concat(beforeCrash, recovery))).as(at).isFalse();
        }
    }

    /** Sets up the server, releases it without a crash, and counts the requests the release made. */
    private int requestsOfACleanRelease() throws InterruptedException {
        serverWithADisk();
        new Provisioner(client, settings, new KubernetesVolumes(client, settings, clock)).release(ID);
        List<String> all = requests();
        assertThat(all.stream().filter(r -> r.equals("POST volumesnapshots"))).hasSize(2);
        assertThat(all.indexOf("DELETE pods")).isGreaterThan(all.lastIndexOf("POST volumesnapshots"));
        return all.size();
    }

    private void serverWithADisk() throws InterruptedException {
        client.pods().inAnyNamespace().delete();
        client.services().inAnyNamespace().delete();
        client.secrets().inAnyNamespace().delete();
        client.persistentVolumeClaims().inAnyNamespace().delete();
        client.resources(VolumeSnapshot.class).inAnyNamespace().delete();
        KubernetesVolumes volumes = new KubernetesVolumes(client, settings, clock);
        volumes.create(ANA, DATA, 50);
        Reservation r = Reservation.queued(ID, Fixtures.ANA, "h100", 8, Duration.ofHours(2), RequestOptions.NONE, Fixtures.T0)
                .provisioning(List.of(new NodeName("gpu-a")), Fixtures.T0);
        new Provisioner(client, settings, volumes).provision(new ServerSpec(r, ANA, List.of(Fixtures.ED25519), DATA), 8,
                n -> NodeResources.UNKNOWN, n -> "us-east-2a");
        assertThat(client.pods().inNamespace(NS).withLabels(Labels.of(ID)).list().getItems()).hasSize(1);
        requests();
    }

    /** A client of the same API server whose request {@code n} (from 0) and every later one fail: the process stopped. */
    private static KubernetesClient dyingAt(int n) {
        AtomicInteger seen = new AtomicInteger();
        Interceptor crash = new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                if (seen.getAndIncrement() >= n) {
                    throw new IllegalStateException("crashed before " + request.method() + " " + request.uri().getPath());
                }
            }
        };
        return new KubernetesClientBuilder().withConfig(client.getConfiguration())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("crash", crash)).build();
    }

    /** Whether a pod deletion came before both END snapshots had been created. */
    private static boolean deletedPodsBeforeBothSnapshots(List<String> requests) {
        int podsDeleted = requests.indexOf("DELETE pods");
        return podsDeleted >= 0 && requests.subList(0, podsDeleted).stream().filter(r -> r.equals("POST volumesnapshots")).count() < 2;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> requests() throws InterruptedException {
        List<String> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            String[] path = r.getPath().split("\\?")[0].split("/");
            out.add(r.getMethod() + " " + path[path.length - 1]);
        }
        return out;
    }
}
