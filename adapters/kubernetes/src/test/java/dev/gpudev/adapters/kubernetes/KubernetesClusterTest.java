package dev.gpudev.adapters.kubernetes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.adapters.kubernetes.server.Labels;
import dev.gpudev.adapters.kubernetes.server.ServerObjects;
import dev.gpudev.adapters.kubernetes.server.ServerPlan;
import dev.gpudev.adapters.kubernetes.testing.RecordingListener;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.NodeInfo;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.port.ServerSpec;
import dev.gpudev.scheduler.testing.Fixtures;

import static dev.gpudev.adapters.kubernetes.testing.ClusterObjects.bot;
import static dev.gpudev.adapters.kubernetes.testing.ClusterObjects.foreignPod;
import static dev.gpudev.adapters.kubernetes.testing.ClusterObjects.gpuNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/** The adapter against fabric8's mock API server in CRUD mode: one server for the class, emptied before each test. */
@EnableKubernetesMockClient(crud = true)
class KubernetesClusterTest {
    static KubernetesClient client;
    static KubernetesMockServer server;
    static final String NS = "gpu-dev";
    static final Duration WAIT = Duration.ofSeconds(10);
    /** What a ready server says it runs when nvidia-smi cannot be read (the mock API server cannot exec): the image alone. */
    static final String IMAGE = "image nvcr.io/nvidia/pytorch:25.01-py3";

    final KubernetesSettings settings = KubernetesSettings.builder().homeStorageClass("gp3").probeInterval(Duration.ofMillis(20))
            .images(List.of("ghcr.io/ana/")).build();
    final AtomicBoolean sshAnswers = new AtomicBoolean(true);
    final RecordingListener heard = new RecordingListener();
    KubernetesCluster cluster;

    /** The poll settings are global to the JVM: the test classes that run after this one get Awaitility's own again. */
    @AfterAll
    static void pollAsUsual() {
        Awaitility.reset();
    }

    @BeforeAll
    static void pollOften() {
        Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
        Awaitility.setDefaultPollDelay(Duration.ZERO);
    }

    @BeforeEach
    void emptyTheCluster() {
        client.pods().inAnyNamespace().delete();
        client.services().inAnyNamespace().delete();
        client.secrets().inAnyNamespace().delete();
        client.network().v1().networkPolicies().inAnyNamespace().delete();
        client.persistentVolumeClaims().inAnyNamespace().delete();
        client.v1().events().inAnyNamespace().delete();
        client.nodes().delete();
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    void start() {
        cluster = new KubernetesCluster(client, settings, GpuCatalog.defaults(), (host, port) -> sshAnswers.get());
        cluster.listen(heard);
        assertThat(cluster.synced()).isFalse();
        cluster.start();
        await().atMost(WAIT).until(cluster::synced);
    }

    static Node node(String name) {
        return client.nodes().resource(gpuNode(name, "p5.48xlarge", 8).build()).create();
    }

    static Reservation provisioning(String id, int gpus, RequestOptions options, String... nodes) {
        return Reservation.queued(new ReservationId(id), Fixtures.ANA, "h100", gpus, Duration.ofHours(2), options, Fixtures.T0)
                .provisioning(Arrays.stream(nodes).map(NodeName::new).toList(), Fixtures.T0);
    }

    static ServerSpec spec(Reservation r) {
        return new ServerSpec(r, Fixtures.login("ana"), List.of(Fixtures.ED25519));
    }

    /** What the kubelet and the service controller would do: the pod runs, the node port is assigned. */
    static void runs(ReservationId id, int rank) {
        client.pods().inNamespace(NS).withName(Labels.podName(id, rank)).editStatus(p -> new PodBuilder(p).withNewStatus()
                .withPhase("Running").withPodIP("10.1.0." + (rank + 7))
                .addNewContainerStatus().withName(ServerObjects.CONTAINER).withNewState().withNewRunning().endRunning().endState()
                .endContainerStatus().endStatus().build());
    }

    static void nodePorts(ReservationId id) {
        client.services().inNamespace(NS).withName(Labels.serverName(id)).edit(s -> {
            s.getSpec().getPorts().forEach(p -> p.setNodePort(p.getName().equals("ssh") ? 30022 : 30888));
            return s;
        });
    }

    static String jupyterToken(ReservationId id) {
        var secret = client.secrets().inNamespace(NS).withName(Labels.serverName(id)).get();
        return secret.getData() != null && secret.getData().containsKey(ServerObjects.JUPYTER_TOKEN)
                ? new String(Base64.getDecoder().decode(secret.getData().get(ServerObjects.JUPYTER_TOKEN)), StandardCharsets.UTF_8)
                : secret.getStringData().get(ServerObjects.JUPYTER_TOKEN);
    }

    static int count(ReservationId id) {
        return client.pods().inNamespace(NS).withLabels(Labels.of(id)).list().getItems().size()
                + client.services().inNamespace(NS).withLabels(Labels.of(id)).list().getItems().size()
                + client.secrets().inNamespace(NS).withLabels(Labels.of(id)).list().getItems().size();
    }

    static List<String> peerPolicies(ReservationId id) {
        return client.network().v1().networkPolicies().inNamespace(NS).withLabels(Labels.of(id)).list().getItems().stream()
                .map(p -> p.getMetadata().getName()).toList();
    }

    /** A change the listener hears after everything before it: the adapter reports in order, on one thread. */
    void barrier(String name) {
        int before = heard.snapshots.size();
        client.pods().inNamespace("ml").resource(foreignPod("ml", name, "gpu-a", 1, "Running").build()).create();
        await().atMost(WAIT).until(() -> heard.snapshots.size() > before);
    }

    @Test
    void seesFreeGpusPerNodeCountingForeignPodsButNotItsOwn() {
        node("gpu-a");
        node("gpu-b");
        client.nodes().resource(gpuNode("cpu-1", "m7i.4xlarge", 0).build()).create();
        client.pods().inNamespace("ml").resource(foreignPod("ml", "train", "gpu-a", 3, "Running").build()).create();
        client.pods().inNamespace("ml").resource(foreignPod("ml", "done", "gpu-a", 4, "Succeeded").build()).create();
        client.pods().inNamespace(NS).resource(bot(foreignPod(NS, "gpu-dev-h100-0a01-0", "gpu-b", 4, "Running").build(), "h100-0a01")).create();
        start();

        assertThat(cluster.snapshot().nodes()).extracting(NodeInfo::name, NodeInfo::capacity, NodeInfo::usedByOthers, NodeInfo::schedulable)
                .containsExactly(tuple(new NodeName("gpu-a"), 8, 3, true),
                        tuple(new NodeName("gpu-b"), 8, 0, true));

        client.pods().inNamespace("ml").resource(foreignPod("ml", "infer", "gpu-b", 2, "Running").build()).create();
        await().atMost(WAIT).untilAsserted(() -> assertThat(heard.lastSnapshot().node(new NodeName("gpu-b")))
                .hasValueSatisfying(n -> assertThat(n.usedByOthers()).isEqualTo(2)));

        client.nodes().withName("gpu-a").edit(n -> new NodeBuilder(n).editSpec().withUnschedulable(true).endSpec().build());
        await().atMost(WAIT).untilAsserted(() -> assertThat(heard.lastSnapshot().node(new NodeName("gpu-a")))
                .hasValueSatisfying(n -> assertThat(n.schedulable()).isFalse()));

        client.nodes().withName("gpu-b").delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(heard.lastSnapshot().nodes()).extracting(NodeInfo::name)
                .containsExactly(new NodeName("gpu-a")));
    }

    @Test
    void provisionsReportsReadyWhenSshAnswersAndReleasesAllButTheHome() {
        node("gpu-a");
        start();
        sshAnswers.set(false);
        Reservation r = provisioning("h100-0a02", 4, new RequestOptions(true, List.of(), null, null), "gpu-a");
        cluster.provision(spec(r));

        assertThat(count(r.id())).isEqualTo(3);
        Pod pod = client.pods().inNamespace(NS).withName("gpu-dev-h100-0a02-0").get();
        assertThat(pod.getSpec().getContainers().getFirst().getResources().getRequests().get("cpu").toString()).isEqualTo("95000m");
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("gpu-dev-home-ana").get()).isNotNull();

        runs(r.id(), 0);
        nodePorts(r.id());
        barrier("b1");
        assertThat(heard.about(r.id())).noneMatch(c -> c.startsWith("ready"));

        sshAnswers.set(true);
        String token = jupyterToken(r.id());
        assertThat(token).hasSize(48);
        await().atMost(WAIT).untilAsserted(() -> assertThat(heard.about(r.id())).contains("ready " + r.id() + " "
                + new ServerAccess("3.14.15.92", 30022, "dev", "http://localhost:8888/lab?token=" + token, IMAGE)));

        cluster.release(r);
        assertThat(count(r.id())).isZero();
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("gpu-dev-home-ana").get()).isNotNull();
        assertThatCode(() -> cluster.release(r)).doesNotThrowAnyException();
        // a provision that lost the race with the release (or a late retry) leaves nothing behind
        cluster.provision(spec(r));
        assertThat(count(r.id())).isZero();
        barrier("b2");
        assertThat(heard.about(r.id())).noneMatch(c -> c.startsWith("vanished") || c.startsWith("failed"));
    }

    @Test
    void aQueuedRequestForAnImageNoLongerAllowedFailsWithoutObjects() {
        node("gpu-a");
        start();
        Reservation r = provisioning("h100-0a09", 1, new RequestOptions(false, List.of(), null, "evil/miner"), "gpu-a");
        cluster.provision(spec(r));
        assertThat(count(r.id())).isZero();
        await().atMost(WAIT).untilAsserted(() -> assertThat(heard.about(r.id())).singleElement().asString()
                .startsWith("failed " + r.id() + ": The image `evil/miner` is not allowed on this cluster. Allowed: `nvcr.io/nvidia/pytorch:25.01-py3`"));
    }

    @Test
    void aRetryAfterACrashCreatesNothingTwice() {
        node("gpu-a");
        start();
        Reservation r = provisioning("h100-0a03", 8, new RequestOptions(true, List.of(), null, null), "gpu-a");
        // the first attempt died after the secret and the service
        ServerPlan first = ServerObjects.plan(spec(r), settings, 8, Map.of(), "first-token");
        client.resource(first.secret()).create();
        client.resource(first.services().getFirst()).create();
        String secretVersion = client.secrets().inNamespace(NS).withName("gpu-dev-h100-0a03").get().getMetadata().getResourceVersion();

        cluster.provision(spec(r));
        String podUid = client.pods().inNamespace(NS).withName("gpu-dev-h100-0a03-0").get().getMetadata().getUid();
        cluster.provision(spec(r));

        assertThat(count(r.id())).isEqualTo(3);
        assertThat(jupyterToken(r.id())).isEqualTo("first-token");
        assertThat(client.secrets().inNamespace(NS).withName("gpu-dev-h100-0a03").get().getMetadata().getResourceVersion()).isEqualTo(secretVersion);
        assertThat(client.pods().inNamespace(NS).withName("gpu-dev-h100-0a03-0").get().getMetadata().getUid()).isEqualTo(podUid);
        assertThat(client.persistentVolumeClaims().inNamespace(NS).list().getItems()).hasSize(1);
    }

    @Test
    void podEventsAndContainerStatesBecomeProgressThenFailure() {
        node("gpu-a");
        start();
        Reservation r = provisioning("h100-0a04", 1, new RequestOptions(false, List.of(), null, "ghcr.io/ana/nope:1"), "gpu-a");
        cluster.provision(spec(r));
        for (String[] e : List.of(new String[] {"Scheduled", "Successfully assigned"}, new String[] {"Pulling", "Pulling image"},
                new String[] {"Pulling", "Pulling image"})) {
            client.v1().events().inNamespace(NS).resource(new EventBuilder().withNewMetadata().withGenerateName("ev-").endMetadata()
                    .withReason(e[0]).withMessage(e[1]).withType("Normal")
                    .withNewInvolvedObject().withKind("Pod").withNamespace(NS).withName("gpu-dev-h100-0a04-0").endInvolvedObject()
                    .build()).create();
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(heard.about(r.id())).containsExactly(
                "progress h100-0a04: scheduled on its node", "progress h100-0a04: pulling image ghcr.io/ana/nope:1..."));

        client.pods().inNamespace(NS).withName("gpu-dev-h100-0a04-0").editStatus(p -> new PodBuilder(p).withNewStatus().withPhase("Pending")
                .addNewContainerStatus().withName("dev").withNewState().withNewWaiting().withReason("ErrImagePull")
                .withMessage("rpc error: code = NotFound desc = manifest unknown").endWaiting().endState().endContainerStatus()
                .endStatus().build());
        await().atMost(WAIT).untilAsserted(() -> assertThat(heard.about(r.id()))
                .endsWith("failed h100-0a04: image not found: ghcr.io/ana/nope:1 — check the name"));
    }

    @Test
    void aServerThatStopsWhileStartingFailsWithTheEndOfItsLog() {
        node("gpu-a");
        start();
        Reservation r = provisioning("h100-0a05", 1, RequestOptions.NONE, "gpu-a");
        cluster.provision(spec(r));
        server.expect().get().withPath("/api/v1/namespaces/" + NS + "/pods/gpu-dev-h100-0a05-0/log?pretty=false&container=dev&tailLines=15")
                .andReturn(200, "loading model\nOSError: [Errno 28] No space left on device\n").always();
        await().atMost(WAIT).until(() -> client.pods().inNamespace(NS).withName("gpu-dev-h100-0a05-0").get() != null);
        client.pods().inNamespace(NS).withName("gpu-dev-h100-0a05-0").editStatus(p -> new PodBuilder(p).withNewStatus()
                .withPhase("Failed").endStatus().build());
        await().atMost(WAIT).untilAsserted(() -> assertThat(heard.about(r.id())).last().asString()
                .startsWith("failed h100-0a05: its pod gpu-dev-h100-0a05-0 stopped (Failed)")
                .contains("Last lines of its log:").endsWith("OSError: [Errno 28] No space left on device"));
    }

    @Test
    void reconcileDeletesOrphansAndReportsVanishedServers() {
        node("gpu-a");
        start();
        Reservation kept = provisioning("h100-0b01", 2, RequestOptions.NONE, "gpu-a")
                .active(new ServerAccess("3.14.15.92", 30022, "dev", null), Fixtures.T0);
        Reservation lost = provisioning("h100-0b02", 2, RequestOptions.NONE, "gpu-a")
                .active(new ServerAccess("3.14.15.92", 30023, "dev", null), Fixtures.T0);
        Reservation ended = provisioning("h100-0b03", 2, RequestOptions.NONE, "gpu-a");
        for (Reservation r : List.of(kept, ended)) {
            ServerPlan plan = ServerObjects.plan(spec(r), settings, 8, Map.of(), "");
            client.resource(plan.secret()).create();
            client.resource(plan.services().getFirst()).create();
            client.resource(plan.pods().getFirst()).create();
        }

        cluster.reconcile(List.of(kept, lost));

        assertThat(count(ended.id())).isZero();
        assertThat(count(kept.id())).isEqualTo(3);
        await().atMost(WAIT).untilAsserted(() -> assertThat(heard.calls)
                .containsExactly("vanished h100-0b02: its server is gone (node lost, evicted or deleted)"));

        // the adopted server is watched: its pod disappearing is noticed at once
        client.pods().inNamespace(NS).withName("gpu-dev-h100-0b01-0").delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(heard.about(kept.id())).singleElement()
                .asString().startsWith("vanished h100-0b01: its pod gpu-dev-h100-0b01-0 was deleted"));
    }

    @Test
    void aRestartedBotFindsAStartingServerAndReportsItReady() {
        node("gpu-a");
        Reservation r = provisioning("h100-0b04", 1, new RequestOptions(true, List.of(), null, null), "gpu-a");
        ServerPlan plan = ServerObjects.plan(spec(r), settings, 8, Map.of(), "kept-token");
        client.resource(plan.secret()).create();
        client.resource(plan.services().getFirst()).create();
        client.resource(plan.pods().getFirst()).create();
        runs(r.id(), 0);
        nodePorts(r.id());
        start();

        cluster.reconcile(List.of(r));

        await().atMost(WAIT).untilAsserted(() -> assertThat(heard.about(r.id())).containsExactly("ready h100-0b04 "
                + new ServerAccess("3.14.15.92", 30022, "dev", "http://localhost:8888/lab?token=kept-token", IMAGE)));
        assertThat(count(r.id())).isEqualTo(3);
    }

    @Test
    void anEvictedServerVanishes() {
        node("gpu-a");
        start();
        Reservation r = provisioning("h100-0c01", 1, RequestOptions.NONE, "gpu-a");
        cluster.provision(spec(r));
        runs(r.id(), 0);
        nodePorts(r.id());
        await().atMost(WAIT).untilAsserted(() -> assertThat(heard.about(r.id())).anyMatch(c -> c.startsWith("ready")));
        client.pods().inNamespace(NS).withName("gpu-dev-h100-0c01-0").editStatus(p -> new PodBuilder(p).editStatus().withPhase("Failed")
                .withReason("Evicted").withMessage("The node was low on resource: memory.").endStatus().build());
        await().atMost(WAIT).untilAsserted(() -> assertThat(heard.about(r.id()))
                .endsWith("vanished h100-0c01: Evicted: The node was low on resource: memory."));
    }

    @Test
    void multiNodeServersAreReadyWhenEveryNodeIs() {
        node("gpu-a");
        node("gpu-b");
        start();
        Reservation r = provisioning("h100-0d01", 16, RequestOptions.NONE, "gpu-a", "gpu-b");
        cluster.provision(spec(r));
        assertThat(count(r.id())).isEqualTo(5);
        assertThat(peerPolicies(r.id())).containsExactly("gpu-dev-peers-h100-0d01");
        runs(r.id(), 0);
        nodePorts(r.id());
        barrier("b3");
        assertThat(heard.about(r.id())).noneMatch(c -> c.startsWith("ready"));
        runs(r.id(), 1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(heard.about(r.id())).contains("ready h100-0d01 "
                + new ServerAccess("3.14.15.92", 30022, "dev", null, IMAGE)));

        cluster.release(r);
        assertThat(count(r.id())).isZero();
        assertThat(peerPolicies(r.id())).isEmpty();
    }

    @Test
    void reconcileRemovesAnOrphanedPeersPolicyAndKeepsALiveOne() {
        node("gpu-a");
        node("gpu-b");
        start();
        Reservation live = provisioning("h100-0d02", 16, RequestOptions.NONE, "gpu-a", "gpu-b");
        Reservation gone = provisioning("h100-0d03", 16, RequestOptions.NONE, "gpu-a", "gpu-b");
        cluster.provision(spec(live));
        // a release that died after the pods, services and secret: only the policy is left
        client.resource(ServerObjects.plan(spec(gone), settings, 8, Map.of(), "").peers()).create();

        cluster.reconcile(List.of(live));

        assertThat(peerPolicies(gone.id())).isEmpty();
        assertThat(peerPolicies(live.id())).containsExactly("gpu-dev-peers-h100-0d02");
        assertThat(count(live.id())).isEqualTo(5);
    }

    @Test
    void aOneNodeServerGetsNoPeersPolicy() {
        node("gpu-a");
        start();
        Reservation r = provisioning("h100-0d04", 8, RequestOptions.NONE, "gpu-a");
        cluster.provision(spec(r));

        assertThat(count(r.id())).isEqualTo(3);
        assertThat(peerPolicies(r.id())).isEmpty();
    }

    @Test
    void tellingAServerNeverBlocksOrFails() {
        node("gpu-a");
        start();
        Reservation r = provisioning("h100-0e01", 1, RequestOptions.NONE, "gpu-a").active(new ServerAccess("h", 22, "dev", null), Fixtures.T0);
        // the mock server cannot exec: the message is lost, quietly
        assertThatCode(() -> cluster.tell(r, "Your server ends in 5 minutes.")).doesNotThrowAnyException();
    }
}
