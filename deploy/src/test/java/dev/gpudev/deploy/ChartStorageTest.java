package dev.gpudev.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
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

    @Test
    void sharedIsOnByDefaultAsInInfraAndTheBotIsToldItsClaim() throws IOException {
        Rendered r = Chart.render();

        PersistentVolumeClaim shared = r.only(PersistentVolumeClaim.class);
        assertThat(shared.getMetadata().getName()).isEqualTo("gpu-dev-shared");
        assertThat(shared.getMetadata().getNamespace()).isEqualTo(Chart.SERVERS);
        assertThat(shared.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
        assertThat(shared.getSpec().getStorageClassName()).isEqualTo("efs-sc");
        assertThat(kubernetes(r)).as("without efs-claim the bot mounts no /shared").containsEntry("efs-claim", "gpu-dev-shared");
        String variables = Files.readString(Infra.MODULE.resolve("variables.tf"));
        assertThat(variables).as("infra/ makes EFS and its StorageClass by default, as the chart expects")
                .containsPattern(Pattern.compile("(?s)variable \"efs_enabled\" \\{[^}]*default     = true"))
                .containsPattern(Pattern.compile("(?s)variable \"efs_storage_class\" \\{[^}]*default     = \"efs-sc\""));
    }

    @Test
    void sharedOffMeansNoClaimAndNoSharedMount() {
        Rendered r = Chart.render(Map.of("servers.sharedVolume.enabled", false));

        assertThat(r.all(PersistentVolumeClaim.class)).isEmpty();
        assertThat(kubernetes(r)).containsEntry("efs-claim", "");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> kubernetes(Rendered r) {
        return (Map<String, Object>) ((Map<String, Object>) r.botConfig().get("cluster")).get("kubernetes");
    }
}
