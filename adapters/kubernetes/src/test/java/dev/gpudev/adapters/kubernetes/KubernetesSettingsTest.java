package dev.gpudev.adapters.kubernetes;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class KubernetesSettingsTest {
    static List<Arguments> invalid() {
        return List.of(
                arguments(Named.of("namespace", (UnaryOperator<KubernetesSettings.Builder>) b -> b.namespace("GPU_dev")), "namespace"),
                arguments(Named.of("image", (UnaryOperator<KubernetesSettings.Builder>) b -> b.image(" ")), "image"),
                arguments(Named.of("ssh user", (UnaryOperator<KubernetesSettings.Builder>) b -> b.sshUser("root; rm")), "ssh-user"),
                arguments(Named.of("shm", (UnaryOperator<KubernetesSettings.Builder>) b -> b.shmPerGpu("lots")), "shm-per-gpu"),
                arguments(Named.of("zero shm", (UnaryOperator<KubernetesSettings.Builder>) b -> b.shmPerGpu("0")), "shm-per-gpu"),
                arguments(Named.of("negative reserve", (UnaryOperator<KubernetesSettings.Builder>) b -> b.cpuReserve("-1")), "cpu-reserve"),
                arguments(Named.of("access mode", (UnaryOperator<KubernetesSettings.Builder>) b -> b.homeAccessMode("rwx")), "home-access-mode"),
                arguments(Named.of("port", (UnaryOperator<KubernetesSettings.Builder>) b -> b.masterPort(70000)), "master-port"),
                arguments(Named.of("jupyter on ssh", (UnaryOperator<KubernetesSettings.Builder>) b -> b.jupyterPort(22)), "jupyter-port"),
                arguments(Named.of("probe interval", (UnaryOperator<KubernetesSettings.Builder>) b -> b.probeInterval(Duration.ZERO)), "probe-interval"),
                arguments(Named.of("image not a reference", (UnaryOperator<KubernetesSettings.Builder>) b -> b.image("Nvcr.io/NVIDIA/pytorch")), "cluster.kubernetes.image "),
                arguments(Named.of("allowed image in upper case", (UnaryOperator<KubernetesSettings.Builder>) b -> b.images(List.of("ghcr.io/Acme/dev"))), "cluster.kubernetes.images"),
                arguments(Named.of("allowed prefix with ..", (UnaryOperator<KubernetesSettings.Builder>) b -> b.images(List.of("ghcr.io/acme/../"))), "cluster.kubernetes.images"),
                arguments(Named.of("peer ports reversed", (UnaryOperator<KubernetesSettings.Builder>) b -> b.peerPorts("60999-32768")), "peer-ports"),
                arguments(Named.of("peer ports not numbers", (UnaryOperator<KubernetesSettings.Builder>) b -> b.peerPorts("ephemeral")), "peer-ports"),
                arguments(Named.of("peer ports past 65535", (UnaryOperator<KubernetesSettings.Builder>) b -> b.peerPorts("32768-70000")), "peer-ports"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void refusesAnInvalidValueNamingItsKey(UnaryOperator<KubernetesSettings.Builder> change, String key) {
        assertThatThrownBy(() -> change.apply(KubernetesSettings.builder()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key);
    }

    @Test
    void defaultsAreUsableAndRoundTripThroughTheBuilder() {
        KubernetesSettings d = KubernetesSettings.defaults();
        assertThat(d.namespace()).isEqualTo("gpu-dev");
        assertThat(d.serviceType()).isEqualTo(KubernetesSettings.ServiceType.NODE_PORT);
        assertThat(d.tolerations()).containsExactly("nvidia.com/gpu");
        assertThat(d.toBuilder().build()).isEqualTo(d);
        assertThat(d.network()).isEqualTo(new ServerNetwork(false, true, 32768, 60999));
        assertThat(d.toBuilder().peerPorts(" 40000 - 40100 ").build().network().peerPortsLast()).isEqualTo(40100);
    }

    @Test
    void theImagePolicyIsTheDefaultImageAndTheAllowList() {
        KubernetesSettings d = KubernetesSettings.defaults();
        assertThat(d.images()).isEmpty();
        assertThat(d.imagePolicy().admit(d.image())).contains(d.image());
        assertThat(d.imagePolicy().admit("ghcr.io/acme/dev:1")).isEmpty();
        KubernetesSettings s = d.toBuilder().images(List.of("ghcr.io/acme/", "ubuntu:22.04")).build();
        assertThat(s.toBuilder().build()).isEqualTo(s);
        assertThat(s.imagePolicy().admit("ghcr.io/acme/dev:1")).contains("ghcr.io/acme/dev:1");
        assertThat(s.imagePolicy().admit("ubuntu:22.04")).contains("docker.io/library/ubuntu:22.04");
        assertThat(s.imagePolicy().admit("ghcr.io/acme-evil/dev:1")).isEmpty();
    }

    @Test
    void serviceTypeInEitherSpelling() {
        assertThat(KubernetesSettings.ServiceType.parse("LoadBalancer")).isEqualTo(KubernetesSettings.ServiceType.LOAD_BALANCER);
        assertThat(KubernetesSettings.ServiceType.parse("node-port")).isEqualTo(KubernetesSettings.ServiceType.NODE_PORT);
        assertThatThrownBy(() -> KubernetesSettings.ServiceType.parse("ClusterIP")).hasMessageContaining("service-type");
    }
}
