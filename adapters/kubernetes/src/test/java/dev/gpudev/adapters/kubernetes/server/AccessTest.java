package dev.gpudev.adapters.kubernetes.server;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.testing.Fixtures;

import static dev.gpudev.adapters.kubernetes.testing.ClusterObjects.gpuNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class AccessTest {
    static final KubernetesSettings NODE_PORT = KubernetesSettings.defaults();
    static final KubernetesSettings LB = NODE_PORT.toBuilder().serviceType(KubernetesSettings.ServiceType.LOAD_BALANCER).build();
    static final KubernetesSettings DNS = NODE_PORT.toBuilder().sshHost("{node}.gpu.example.com").build();
    static final KubernetesSettings DNS_EXPOSED = DNS.toBuilder().jupyterExposed(true).build();
    static final KubernetesSettings LB_EXPOSED = LB.toBuilder().jupyterExposed(true).build();
    static final Reservation R = Reservation.queued(new ReservationId("h100-0a01"), Fixtures.ANA, "h100", 1, Duration.ofHours(1),
            RequestOptions.NONE, Fixtures.T0).provisioning(List.of(new NodeName("gpu-a")), Fixtures.T0);
    static final Node NODE = gpuNode("gpu-a", "p5.48xlarge", 8).build();
    static final Node INTERNAL_ONLY = new NodeBuilder(NODE).editStatus().withAddresses(NODE.getStatus().getAddresses().getFirst()).endStatus().build();

    static Service service(boolean nodePorts, String lbHost) {
        ServiceBuilder b = new ServiceBuilder().withNewSpec()
                .addNewPort().withName("ssh").withPort(22).withNodePort(nodePorts ? 30022 : null).endPort()
                .addNewPort().withName("jupyter").withPort(8888).withNodePort(nodePorts ? 30888 : null).endPort()
                .endSpec();
        if (!lbHost.isEmpty()) {
            b.withNewStatus().withNewLoadBalancer().addNewIngress().withHostname(lbHost).endIngress().endLoadBalancer().endStatus();
        }
        return b.build();
    }

    static List<Arguments> cases() {
        return List.of(
                arguments(Named.of("node port on the external IP", NODE_PORT), service(true, ""), NODE, "",
                        Optional.of(new ServerAccess("3.14.15.92", 30022, "dev", null))),
                arguments(Named.of("no external IP: the internal one", NODE_PORT), service(true, ""), INTERNAL_ONLY, "",
                        Optional.of(new ServerAccess("10.0.1.5", 30022, "dev", null))),
                arguments(Named.of("node port not assigned yet", NODE_PORT), service(false, ""), NODE, "", Optional.empty()),
                arguments(Named.of("node unknown", NODE_PORT), service(true, ""), null, "", Optional.empty()),
                arguments(Named.of("Jupyter through SSH (default)", NODE_PORT), service(true, ""), NODE, "tok",
                        Optional.of(new ServerAccess("3.14.15.92", 30022, "dev", "http://localhost:8888/lab?token=tok"))),
                arguments(Named.of("Jupyter through SSH, custom port", NODE_PORT.toBuilder().jupyterPort(9999).build()),
                        service(true, ""), NODE, "tok",
                        Optional.of(new ServerAccess("3.14.15.92", 30022, "dev", "http://localhost:9999/lab?token=tok"))),
                arguments(Named.of("DNS pattern names rank 0's node, Jupyter exposed", DNS_EXPOSED), service(true, ""), null, "tok",
                        Optional.of(new ServerAccess("gpu-a.gpu.example.com", 30022, "dev", "http://gpu-a.gpu.example.com:30888/lab?token=tok"))),
                arguments(Named.of("load balancer, Jupyter exposed", LB_EXPOSED), service(false, "abc.elb.amazonaws.com"), NODE, "tok",
                        Optional.of(new ServerAccess("abc.elb.amazonaws.com", 22, "dev", "http://abc.elb.amazonaws.com:8888/lab?token=tok"))),
                arguments(Named.of("load balancer, Jupyter through SSH", LB), service(false, "abc.elb.amazonaws.com"), NODE, "tok",
                        Optional.of(new ServerAccess("abc.elb.amazonaws.com", 22, "dev", "http://localhost:8888/lab?token=tok"))),
                arguments(Named.of("load balancer still pending", LB), service(false, ""), NODE, "", Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void theSshCommandNamesAReachableAddress(KubernetesSettings s, Service service, Node node, String token, Optional<ServerAccess> expected) {
        assertThat(Access.of(s, R, service, node, token)).isEqualTo(expected);
    }

    @Test
    void theNodePortHostIsTheNodeOfRankZero() {
        Reservation multi = Reservation.queued(new ReservationId("h100-0a02"), Fixtures.ANA, "h100", 16, Duration.ofHours(1),
                RequestOptions.NONE, Fixtures.T0).provisioning(List.of(new NodeName("gpu-b"), new NodeName("gpu-a")), Fixtures.T0);

        assertThat(Access.of(DNS, multi, service(true, ""), null, "")).map(ServerAccess::host).contains("gpu-b.gpu.example.com");
    }
}
