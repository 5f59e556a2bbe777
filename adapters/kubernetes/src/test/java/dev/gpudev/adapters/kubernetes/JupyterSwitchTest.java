package dev.gpudev.adapters.kubernetes;

import static dev.gpudev.adapters.kubernetes.testing.ClusterObjects.gpuNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.adapters.kubernetes.server.Jupyter;
import dev.gpudev.adapters.kubernetes.server.Keys;
import dev.gpudev.adapters.kubernetes.server.Labels;
import dev.gpudev.adapters.kubernetes.server.ServerObjects;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.port.ProvisionException;
import dev.gpudev.scheduler.port.ServerSpec;
import dev.gpudev.scheduler.testing.Fixtures;

/**
 * {@code /gpu edit --jupyter on|off} on fabric8's mock API server: the token in the Secret is the desired state, the
 * pods are never replaced, an exposed Jupyter's port comes and goes on the Service. The kubelet's update of the
 * projected file and the bootstrap's reaction are not on the mock: {@code BootstrapTest} runs the sync in a real shell.
 */
@EnableKubernetesMockClient(crud = true)
class JupyterSwitchTest {
    static KubernetesClient client;
    static final String NS = "gpu-dev";
    static final Duration WAIT = Duration.ofSeconds(10);

    KubernetesCluster cluster;

    @BeforeEach
    void emptyTheCluster() {
        client.pods().inAnyNamespace().delete();
        client.services().inAnyNamespace().delete();
        client.secrets().inAnyNamespace().delete();
        client.nodes().delete();
        client.nodes().resource(gpuNode("gpu-a", "p5.48xlarge", 8).build()).create();
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Reservation running(String id, KubernetesSettings settings) {
        cluster = new KubernetesCluster(client, settings, GpuCatalog.defaults(), (host, port) -> true);
        cluster.start();
        await().atMost(WAIT).until(cluster::synced);
        Reservation r = ServerFeaturesTest.provisioning(id, 4, false, "gpu-a");
        cluster.provision(new ServerSpec(r, Fixtures.login("ana"), List.of(Fixtures.ED25519)));
        // what the service controller does: the SSH port gets its node port
        client.services().inNamespace(NS).withName(Labels.serverName(r.id())).edit(s -> {
            s.getSpec().getPorts().forEach(p -> p.setNodePort(30022));
            return s;
        });
        return r.active(new ServerAccess("3.14.15.92", 30022, "dev", null), Fixtures.T0);
    }

    private List<String> podUids(ReservationId id) {
        return client.pods().inNamespace(NS).withLabels(Labels.of(id)).list().getItems().stream().map(p -> p.getMetadata().getUid()).toList();
    }

    private String token(ReservationId id) {
        return ServerObjects.jupyterToken(client.secrets().inNamespace(NS).withName(Labels.serverName(id)).get());
    }

    @Test
    void aServerReservedWithoutJupyterGetsItAndLosesItWithoutARestart() {
        Reservation r = running("h100-2b01", KubernetesSettings.builder().build());
        List<String> pods = podUids(r.id());
        Pod rank0 = client.pods().inNamespace(NS).withName(Labels.podName(r.id(), 0)).get();
        Volume projected = rank0.getSpec().getVolumes().stream().filter(v -> v.getName().equals("jupyter")).findFirst().orElseThrow();
        assertThat(projected.getSecret().getOptional()).isTrue();
        assertThat(projected.getSecret().getItems()).extracting(i -> i.getKey()).containsExactly(ServerObjects.JUPYTER_TOKEN);
        String keys = Keys.of(client.secrets().inNamespace(NS).withName(Labels.serverName(r.id())).get());
        assertThat(token(r.id())).isEmpty();

        ServerAccess on = cluster.switchJupyter(r, true);

        String token = token(r.id());
        assertThat(token).hasSize(48);
        assertThat(on.jupyterUrl()).isEqualTo("http://localhost:8888/lab?token=" + token);
        assertThat(on.sshCommand()).isEqualTo("ssh -p 30022 dev@3.14.15.92");
        assertThat(on.jupyterTunnel()).contains("ssh -L 8888:localhost:8888 -p 30022 dev@3.14.15.92");
        assertThat(podUids(r.id())).isEqualTo(pods);
        assertThat(cluster.switchJupyter(r, true)).as("again: the same token, nothing restarts").isEqualTo(on);
        assertThat(client.services().inNamespace(NS).withName(Labels.serverName(r.id())).get().getSpec().getPorts())
                .extracting(ServicePort::getName).containsExactly("ssh");

        ServerAccess off = cluster.switchJupyter(r, false);

        assertThat(off.jupyterUrl()).isNull();
        assertThat(token(r.id())).isEmpty();
        assertThat(Keys.of(client.secrets().inNamespace(NS).withName(Labels.serverName(r.id())).get())).isEqualTo(keys);
        assertThat(podUids(r.id())).isEqualTo(pods);
        assertThat(cluster.switchJupyter(r, true).jupyterUrl()).as("on again: a new token, the old link stays dead")
                .doesNotContain(token).startsWith("http://localhost:8888/lab?token=");
    }

    @Test
    void anExposedJupytersPortComesAndGoesOnTheServiceKeepingItsNodePort() {
        KubernetesSettings exposed = KubernetesSettings.builder().jupyterExposed(true).build();
        Reservation r = running("h100-2b02", exposed);
        var service = client.services().inNamespace(NS).withName(Labels.serverName(r.id()));

        Jupyter.turn(client, exposed, r, true);
        assertThat(service.get().getSpec().getPorts()).extracting(ServicePort::getName).containsExactly("ssh", "jupyter");
        service.edit(s -> {
            s.getSpec().getPorts().forEach(p -> p.setNodePort(p.getName().equals("ssh") ? 30022 : 30888));
            return s;
        });
        assertThat(cluster.switchJupyter(r, true).jupyterUrl()).isEqualTo("http://3.14.15.92:30888/lab?token=" + token(r.id()));
        assertThat(service.get().getSpec().getPorts()).extracting(ServicePort::getNodePort).containsExactly(30022, 30888);

        assertThat(cluster.switchJupyter(r, false).jupyterUrl()).isNull();
        Service after = service.get();
        assertThat(after.getSpec().getPorts()).extracting(ServicePort::getName).containsExactly("ssh");
        assertThat(after.getSpec().getPorts().getFirst().getNodePort()).isEqualTo(30022);
    }

    @Test
    void aServerStartedByAnOlderVersionIsRefusedAndLeftAsItWas() {
        Reservation r = running("h100-2b03", KubernetesSettings.builder().build());
        client.pods().inNamespace(NS).withName(Labels.podName(r.id(), 0)).edit(p -> {
            p.getMetadata().getAnnotations().remove(Jupyter.SWITCHABLE);
            return p;
        });

        assertThatThrownBy(() -> cluster.switchJupyter(r, true)).isInstanceOf(ProvisionException.Permanent.class)
                .hasMessageContaining("older version");
        assertThat(token(r.id())).isEmpty();
    }

    @Test
    void aServerThatIsGoneIsRefused() {
        Reservation r = running("h100-2b04", KubernetesSettings.builder().build());
        cluster.release(r);

        assertThatThrownBy(() -> cluster.switchJupyter(r, true)).isInstanceOf(ProvisionException.class).hasMessageContaining("gone");
        assertThat(client.secrets().inNamespace(NS).withName(Labels.serverName(r.id())).get()).isNull();
    }
}
