package dev.gpudev.deploy;

import java.util.Map;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChartLintTest {

    @Test
    void lintPassesStrict() {
        var result = Chart.helm().lint().strict().call();

        assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
    }

    @Test
    void defaultsRenderEveryPart() {
        var rendered = Chart.render();

        assertThat(rendered.names()).containsExactlyInAnyOrder(
                "ServiceAccount/gpu-dev-bot",
                "ConfigMap/gpu-dev-bot",
                "Deployment/gpu-dev-bot",
                "Service/gpu-dev-bot",
                "PodDisruptionBudget/gpu-dev-bot",
                "Namespace/gpu-dev-servers",
                "Role/gpu-dev-bot",
                "RoleBinding/gpu-dev-bot",
                "Role/gpu-dev-bot-leader-election",
                "RoleBinding/gpu-dev-bot-leader-election",
                "ClusterRole/gpu-dev-gpu-dev-bot-read",
                "ClusterRoleBinding/gpu-dev-gpu-dev-bot-read",
                "NetworkPolicy/gpu-dev-default-deny",
                "NetworkPolicy/gpu-dev-servers",
                "VolumeSnapshotClass/gpu-dev-snapshots",
                "PersistentVolumeClaim/gpu-dev-shared");
        assertThat(rendered.only(Namespace.class).getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "baseline");
    }

    @Test
    void optionalPartsRenderWhenAsked() {
        var rendered = Chart.render(Map.of(
                "ingress.enabled", true, "ingress.host", "gpu.example.com",
                "servers.sharedVolume.enabled", true, "servers.createNamespace", false));

        assertThat(rendered.names())
                .contains("Ingress/gpu-dev-bot", "PersistentVolumeClaim/gpu-dev-shared")
                .doesNotContain("Namespace/gpu-dev-servers");
        var ingress = rendered.only(Ingress.class);
        assertThat(ingress.getSpec().getRules().getFirst().getHttp().getPaths())
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.getPath()).isEqualTo("/slack/events");
                    assertThat(p.getPathType()).isEqualTo("Exact");
                });
        assertThat(rendered.only(Service.class).getSpec().getPorts().getFirst().getTargetPort().getStrVal()).isEqualTo("http");
        assertThat(rendered.only(Deployment.class).getSpec().getReplicas()).isEqualTo(2);
    }
}
