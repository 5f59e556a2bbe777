package dev.gpudev.adapters.kubernetes;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import dev.gpudev.adapters.kubernetes.server.Labels;
import dev.gpudev.adapters.kubernetes.server.ServerObjects;
import dev.gpudev.adapters.kubernetes.testing.RecordingListener;
import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.port.ProvisionException;
import dev.gpudev.scheduler.port.ServerSpec;
import dev.gpudev.scheduler.service.ReservationService;
import dev.gpudev.scheduler.testing.FakeIdentity;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;
import dev.gpudev.scheduler.testing.RecordingNotifier;

import static dev.gpudev.adapters.kubernetes.testing.ClusterObjects.gpuNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * API failures while provisioning, on fabric8's mock API server: its expectations answer first (an error a set number
 * of times), CRUD answers after. The client here does not retry by itself, so each call meets one answer; in production
 * fabric8 retries 5xx, 429 and I/O errors of each request (10 times from 100 ms) before the adapter sees them.
 */
@EnableKubernetesMockClient(crud = true)
class ProvisionFailureTest {
    static KubernetesClient client;
    static KubernetesMockServer server;
    static KubernetesClient noRetries;
    static final String NS = "gpu-dev";
    static final String PODS = "/api/v1/namespaces/" + NS + "/pods";
    static final Duration WAIT = Duration.ofSeconds(10);

    final KubernetesSettings settings = KubernetesSettings.builder().homeStorageClass("gp3").probeInterval(Duration.ofMillis(20)).build();
    KubernetesCluster cluster;

    @BeforeAll
    static void clientWithoutItsOwnRetries() {
        Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        noRetries = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withRequestRetryBackoffLimit(0).build()).build();
    }

    @BeforeEach
    void emptyTheCluster() {
        server.reset();
        client.pods().inAnyNamespace().delete();
        client.services().inAnyNamespace().delete();
        client.secrets().inAnyNamespace().delete();
        client.persistentVolumeClaims().inAnyNamespace().delete();
        client.nodes().delete();
        client.nodes().resource(gpuNode("gpu-a", "p5.48xlarge", 8).build()).create();
        cluster = new KubernetesCluster(noRetries, settings, GpuCatalog.defaults(), (host, port) -> true);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    static Status status(int code, String reason, String message) {
        return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build();
    }

    static void podCreateAnswers(int code, String reason, String message, int times) {
        server.expect().post().withPath(PODS).andReturn(code, status(code, reason, message)).times(times);
    }

    static ServerSpec spec(String id) {
        Reservation r = Reservation.queued(new ReservationId(id), Fixtures.ANA, "h100", 4, Duration.ofHours(2),
                new RequestOptions(false, List.of(), null, null), Fixtures.T0).provisioning(List.of(new NodeName("gpu-a")), Fixtures.T0);
        return new ServerSpec(r, Fixtures.login("ana"), List.of(Fixtures.ED25519));
    }

    /** What the service controller would do: the node port is assigned. */
    static void nodePort(ReservationId id) {
        client.services().inNamespace(NS).withName(Labels.serverName(id)).edit(s -> {
            s.getSpec().getPorts().forEach(p -> p.setNodePort(30022));
            return s;
        });
    }

    /** What the kubelet would do: the pod runs. */
    static void runs(ReservationId id) {
        client.pods().inNamespace(NS).withName(Labels.podName(id, 0)).editStatus(p -> new PodBuilder(p).withNewStatus()
                .withPhase("Running").withPodIP("10.1.0.7")
                .addNewContainerStatus().withName(ServerObjects.CONTAINER).withNewState().withNewRunning().endRunning().endState()
                .endContainerStatus().endStatus().build());
    }

    static int pods(String id) {
        return client.pods().inNamespace(NS).withLabels(Labels.of(new ReservationId(id))).list().getItems().size();
    }

    @Test
    void anUnavailableApiIsTransientAndTheNextAttemptCompletesTheServer() {
        podCreateAnswers(503, "ServiceUnavailable", "etcdserver: leader changed", 2);
        ServerSpec spec = spec("h100-0f01");

        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThatThrownBy(() -> cluster.provision(spec)).isInstanceOfSatisfying(ProvisionException.Transient.class,
                    e -> assertThat(e.reason()).isEqualTo("the Kubernetes API is unavailable (HTTP 503)"));
        }
        assertThat(pods("h100-0f01")).isZero();

        cluster.provision(spec);
        assertThat(pods("h100-0f01")).isEqualTo(1);
        assertThat(client.services().inNamespace(NS).withLabels(Labels.of(new ReservationId("h100-0f01"))).list().getItems()).hasSize(1);
    }

    record Refusal(int code, String reason, String message) {
    }

    static final List<Named<Refusal>> REFUSALS = List.of(
            Named.of("403 Pod Security", new Refusal(403, "Forbidden", "pods \"gpu-dev-h100-0f02-0\" is forbidden: violates PodSecurity "
                    + "\"baseline:latest\": non-default capabilities (container \"dev\" must not include \"IPC_LOCK\" in securityContext.capabilities.add)")),
            Named.of("422 Invalid", new Refusal(422, "Invalid", "Pod \"gpu-dev-h100-0f02-0\" is invalid: spec.containers[0].image: Required value")));

    @ParameterizedTest
    @FieldSource("REFUSALS")
    void aRefusalIsPermanentWithTheApisMessage(Refusal refusal) {
        podCreateAnswers(refusal.code(), refusal.reason(), refusal.message(), 1);

        assertThatThrownBy(() -> cluster.provision(spec("h100-0f02"))).isInstanceOfSatisfying(ProvisionException.Permanent.class,
                e -> assertThat(e.reason()).isEqualTo("Kubernetes refused the server (HTTP " + refusal.code() + "): " + refusal.message()));
    }

    /** The service and the adapter together: a reservation placed while the API fails becomes ACTIVE once it answers. */
    @Test
    void aReservationPlacedWhileTheApiFailsBecomesActive() {
        MutableClock clock = new MutableClock(Fixtures.T0);
        InMemoryReservationStore store = new InMemoryReservationStore();
        GpuCatalog catalog = GpuCatalog.defaults();
        ReservationService service = new ReservationService(new Engine(catalog, Limits.defaults()), new RequestValidator(catalog, Limits.defaults()),
                store, cluster, new FakeIdentity(), new RecordingNotifier(), clock, new Random(3));
        cluster.start();
        await().atMost(WAIT).until(cluster::synced);
        service.start();
        podCreateAnswers(503, "ServiceUnavailable", "etcdserver: leader changed", 2);

        var outcome = service.reserve(Fixtures.ANA, (Command.Reserve) CommandParser.parse("reserve h100 4 2h"), null);
        ReservationId id = ((ReserveOutcome.Accepted) outcome).reservation().id();
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(ReservationState.PROVISIONING);
        assertThat(store.find(id).orElseThrow().detail()).contains("Kubernetes API is unavailable", "retrying");

        for (int i = 0; i < 5 && pods(id.value()) == 0; i++) {
            clock.advance(Duration.ofMinutes(1));
            service.tick();
        }
        assertThat(pods(id.value())).isEqualTo(1);
        nodePort(id);
        runs(id);

        await().atMost(WAIT).until(() -> store.find(id).orElseThrow().state() == ReservationState.ACTIVE);
    }

    @Test
    void aServiceLookupThatFailsWhileWaitingForSshIsTriedAgain() {
        RecordingListener heard = new RecordingListener();
        cluster.listen(heard);
        cluster.start();
        await().atMost(WAIT).until(cluster::synced);
        ServerSpec spec = spec("h100-0f03");
        ReservationId id = spec.reservation().id();
        cluster.provision(spec);
        nodePort(id);
        server.expect().get().withPath("/api/v1/namespaces/" + NS + "/services/" + Labels.serverName(id))
                .andReturn(503, status(503, "ServiceUnavailable", "etcdserver: leader changed")).times(2);

        runs(id);

        await().atMost(WAIT).untilAsserted(() -> assertThat(heard.about(id)).anyMatch(c -> c.startsWith("ready " + id)));
    }
}
