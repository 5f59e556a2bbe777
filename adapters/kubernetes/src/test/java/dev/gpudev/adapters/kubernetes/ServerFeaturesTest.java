package dev.gpudev.adapters.kubernetes;

import static dev.gpudev.adapters.kubernetes.testing.ClusterObjects.gpuNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventListBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.adapters.kubernetes.server.Keys;
import dev.gpudev.adapters.kubernetes.server.Labels;
import dev.gpudev.adapters.kubernetes.server.ServerObjects;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.SshPublicKey;
import dev.gpudev.scheduler.port.ProvisionException;
import dev.gpudev.scheduler.port.ServerLog;
import dev.gpudev.scheduler.port.ServerSpec;
import dev.gpudev.scheduler.testing.Fixtures;

/** {@code /gpu logs}, {@code /gpu edit}'s keys and the SSH config's rank hosts, on fabric8's mock API server. */
@EnableKubernetesMockClient(crud = true)
class ServerFeaturesTest {
    static KubernetesClient client;
    static KubernetesMockServer server;
    static final String NS = "gpu-dev";
    static final SshPublicKey BO_KEY = SshPublicKey.parse(
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7b6v0Xb2nq0Lr0Ssl9yZ5b1Qm0Yq2j2t7cZb5f1mQx bo@desk");

    final KubernetesSettings settings = KubernetesSettings.builder().homeStorageClass("gp3").probeInterval(Duration.ofMillis(20)).build();
    KubernetesCluster cluster;

    @BeforeEach
    void emptyTheCluster() {
        server.reset();
        client.pods().inAnyNamespace().delete();
        client.services().inAnyNamespace().delete();
        client.secrets().inAnyNamespace().delete();
        client.v1().events().inAnyNamespace().delete();
        client.nodes().delete();
        client.nodes().resource(gpuNode("gpu-a", "p5.48xlarge", 8).build()).create();
        client.nodes().resource(gpuNode("gpu-b", "p5.48xlarge", 8).build()).create();
        cluster = new KubernetesCluster(client, settings, GpuCatalog.defaults(), (host, port) -> true);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    static Reservation provisioning(String id, int gpus, boolean jupyter, String... nodes) {
        return Reservation.queued(new ReservationId(id), Fixtures.ANA, "h100", gpus, Duration.ofHours(2),
                new RequestOptions(jupyter, List.of(), null, null), Fixtures.T0)
                .provisioning(Arrays.stream(nodes).map(NodeName::new).toList(), Fixtures.T0);
    }

    static Event event(String pod, String reason, String message, String at, int count) {
        return new EventBuilder().withNewMetadata().withName(pod + "." + reason).withNamespace(NS).endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName(pod).withNamespace(NS).endInvolvedObject()
                .withReason(reason).withMessage(message).withLastTimestamp(at).withCount(count).build();
    }

    /**
     * The API server's answer to the events of one pod: the mock's CRUD mode does not filter by {@code involvedObject.name}
     * (it answers nothing), so the list is what a real API server answers to that field selector; the adapter must ask with it.
     */
    static void eventsOf(String pod, Event... events) {
        server.expect().get().withPath("/api/v1/namespaces/" + NS + "/events?fieldSelector=involvedObject.name%3D" + pod)
                .andReturn(200, new EventListBuilder().withItems(events).build()).always();
    }

    static void logOf(String pod, int tailLines, String body) {
        server.expect().get().withPath("/api/v1/namespaces/" + NS + "/pods/" + pod + "/log?pretty=false&container=dev&tailLines=" + tailLines)
                .andReturn(200, body).always();
    }

    @Test
    void logsAreThePodsEventsInOrderAndTheLastLinesOfRankZeroAsked() {
        Reservation r = provisioning("h100-1a01", 4, false, "gpu-a");
        cluster.provision(new ServerSpec(r, Fixtures.login("ana"), List.of(Fixtures.ED25519)));
        String pod = Labels.podName(r.id(), 0);
        eventsOf(pod, event(pod, "Pulling", "Pulling image \"nvcr.io/nvidia/pytorch:25.01-py3\"", "2026-11-02T09:00:05Z", 1),
                event(pod, "Scheduled", "Successfully assigned gpu-dev/" + pod + " to gpu-a", "2026-11-02T09:00:01Z", 1),
                event(pod, "BackOff", "Back-off pulling image", "2026-11-02T09:01:00Z", 3),
                event("gpu-dev-h100-ffff-0", "Scheduled", "someone else's pod", "2026-11-02T09:00:00Z", 1));
        logOf(pod, 3, "one\ntwo\nthree\n");

        ServerLog log = cluster.logs(r, 2);

        assertThat(log.events()).hasSize(3);
        assertThat(log.events().get(0)).startsWith("09:00:01").contains("Scheduled").contains("to gpu-a");
        assertThat(log.events().get(1)).startsWith("09:00:05").contains("Pulling");
        assertThat(log.events().get(2)).contains("BackOff").endsWith("(x3)");
        assertThat(log.lines()).containsExactly("two", "three");
        assertThat(log.truncated()).isTrue();
        assertThat(log.note()).isEmpty();
    }

    @Test
    void aShortLogIsWholeAndTheLinesAskedForAreCapped() {
        Reservation r = provisioning("h100-1a02", 4, false, "gpu-a");
        cluster.provision(new ServerSpec(r, Fixtures.login("ana"), List.of(Fixtures.ED25519)));
        logOf(Labels.podName(r.id(), 0), 501, "Server listening on 0.0.0.0 port 22.\n");

        ServerLog log = cluster.logs(r, 100_000);

        assertThat(log.lines()).containsExactly("Server listening on 0.0.0.0 port 22.");
        assertThat(log.truncated()).isFalse();
    }

    @Test
    void aServerWithoutPodsSaysItsLogIsGone() {
        Reservation r = provisioning("h100-1a03", 4, false, "gpu-a");
        // what the API server answers for the log of a pod that does not exist (the mock's CRUD mode answers a list)
        server.expect().get().withPath("/api/v1/namespaces/" + NS + "/pods/" + Labels.podName(r.id(), 0) + "/log?pretty=false&container=dev&tailLines=51")
                .andReturn(404, new StatusBuilder().withStatus("Failure").withCode(404).withReason("NotFound")
                        .withMessage("pods \"" + Labels.podName(r.id(), 0) + "\" not found").build()).always();

        ServerLog log = cluster.logs(r, 50);

        assertThat(log.lines()).isEmpty();
        assertThat(log.note()).contains("pod is gone");
    }

    @Test
    void newKeysReplaceTheSecretsKeysInPlaceKeepingTheTokenAndThePods() {
        Reservation r = provisioning("h100-1a04", 16, true, "gpu-a", "gpu-b");
        cluster.provision(new ServerSpec(r, Fixtures.login("ana"), List.of(Fixtures.ED25519)));
        var secret = client.secrets().inNamespace(NS).withName(Labels.serverName(r.id()));
        String token = ServerObjects.jupyterToken(secret.get());
        List<String> pods = client.pods().inNamespace(NS).withLabels(Labels.of(r.id())).list().getItems().stream()
                .map(p -> p.getMetadata().getUid()).toList();
        assertThat(Keys.of(secret.get())).doesNotContain("bo@desk");

        cluster.updateKeys(r, List.of(Fixtures.ED25519, BO_KEY));

        assertThat(Keys.of(secret.get())).contains("ana@laptop").contains("bo@desk");
        assertThat(ServerObjects.jupyterToken(secret.get())).isEqualTo(token).isNotEmpty();
        assertThat(client.pods().inNamespace(NS).withLabels(Labels.of(r.id())).list().getItems()).extracting(p -> p.getMetadata().getUid())
                .containsExactlyInAnyOrderElementsOf(pods).hasSize(2);

        cluster.updateKeys(r, List.of(Fixtures.ED25519));
        assertThat(Keys.of(secret.get())).contains("ana@laptop").doesNotContain("bo@desk");
    }

    @Test
    void keysOfAServerThatIsGoneAreRefusedWithTheReason() {
        Reservation r = provisioning("h100-1a05", 4, false, "gpu-a");

        assertThatThrownBy(() -> cluster.updateKeys(r, List.of(Fixtures.ED25519))).isInstanceOf(ProvisionException.class);
        assertThat(client.secrets().inNamespace(NS).withName(Labels.serverName(r.id())).get()).isNull();
    }

    @Test
    void theOtherRanksAreReachedFromRankZeroByTheHeadlessServiceName() {
        Reservation r = provisioning("h100-1a06", 16, false, "gpu-a", "gpu-b");
        cluster.provision(new ServerSpec(r, Fixtures.login("ana"), List.of(Fixtures.ED25519)));

        List<String> hosts = cluster.rankHosts(r);

        assertThat(hosts).containsExactly("gpu-dev-h100-1a06-1.gpu-dev-h100-1a06-nodes");
        Pod rank1 = client.pods().inNamespace(NS).withName(Labels.podName(r.id(), 1)).get();
        assertThat(hosts.getFirst()).isEqualTo(rank1.getSpec().getHostname() + "." + rank1.getSpec().getSubdomain());
        assertThat(client.services().inNamespace(NS).withName(rank1.getSpec().getSubdomain()).get().getSpec().getClusterIP()).isEqualTo("None");
        assertThat(cluster.rankHosts(provisioning("h100-1a07", 4, false, "gpu-a"))).isEmpty();
    }
}
