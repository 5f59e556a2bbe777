package dev.gpudev.deploy;

import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Homes and disks are on by default: the bot is told the StorageClass and the snapshot class, and the chart makes what infra/ cannot. */
class ChartStorageTest {
    @Test
    void byDefaultTheBotHasHomesAndSnapshotsAndTheChartMakesTheSnapshotClassOnly() {
        Rendered r = Chart.render();

        assertThat(kubernetes(r)).containsEntry("home-storage-class", "gpu-dev-home")
                .containsEntry("storage", Map.of("snapshot-class", "gpu-dev-snapshots"));
        assertThat(r.all(StorageClass.class)).as("infra/ makes the StorageClass").isEmpty();
        HasMetadata snapshotClass = r.objects().stream().filter(o -> o.getKind().equals("VolumeSnapshotClass")).findFirst().orElseThrow();
        assertThat(snapshotClass.getApiVersion()).isEqualTo("snapshot.storage.k8s.io/v1");
        assertThat(snapshotClass.getMetadata().getName()).isEqualTo("gpu-dev-snapshots");
        assertThat(((GenericKubernetesResource) snapshotClass).getAdditionalProperties()).containsEntry("driver", "ebs.csi.aws.com");
    }

    @Test
    void quotasSetInValuesStayNextToTheClassesTheChartOwns() {
        Rendered r = Chart.render(Map.of("config.cluster.kubernetes.storage.max-disks", 5,
                "config.cluster.kubernetes.home-storage-class", "other"));

        assertThat(kubernetes(r)).containsEntry("home-storage-class", "gpu-dev-home")
                .containsEntry("storage", Map.of("snapshot-class", "gpu-dev-snapshots", "max-disks", 5));
    }

    @Test
    void onAClusterInfraDidNotSetUpTheChartMakesTheEbsStorageClass() {
        StorageClass sc = Chart.render(Map.of("servers.disks.createStorageClass", true)).only(StorageClass.class);

        assertThat(sc.getMetadata().getName()).isEqualTo("gpu-dev-home");
        assertThat(sc.getProvisioner()).isEqualTo("ebs.csi.aws.com");
        assertThat(sc.getVolumeBindingMode()).isEqualTo("WaitForFirstConsumer");
        assertThat(sc.getReclaimPolicy()).isEqualTo("Retain");
        assertThat(sc.getParameters()).containsEntry("type", "gp3").containsEntry("encrypted", "true");
    }

    @Test
    void disksOffMeansNoHomeNoSnapshotClassAndNoSnapshotRights() {
        Rendered r = Chart.render(Map.of("servers.disks.enabled", false, "servers.disks.createStorageClass", true));

        assertThat(kubernetes(r)).containsEntry("home-storage-class", "").doesNotContainKey("storage");
        assertThat(r.names()).noneMatch(n -> n.startsWith("VolumeSnapshotClass/") || n.startsWith("StorageClass/"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> kubernetes(Rendered r) {
        return (Map<String, Object>) ((Map<String, Object>) r.botConfig().get("cluster")).get("kubernetes");
    }
}
