package dev.gpudev.bot.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.bot.slack.SlackHarnessAccess;

/** The bot wired to the fabric8 adapter against the mock API server: a reservation becomes objects on one node. */
@EnableKubernetesMockClient(crud = true)
class KubernetesWiringTest {
    static KubernetesClient client;

    @BeforeEach
    void cluster() {
        for (String name : List.of("p5-a", "p5-b")) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                    .addToLabels("node.kubernetes.io/instance-type", "p5.48xlarge").addToLabels("gpu-dev/placement-group", "pg-1").endMetadata()
                    .withNewStatus().addToAllocatable(Map.of("nvidia.com/gpu", new Quantity("8"), "cpu", new Quantity("192"),
                            "memory", new Quantity("2000Gi")))
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build())
                    .createOr(NonDeletingOperation::update);
        }
        MockApiServer.point(client);
    }

    @AfterEach
    void clear() {
        MockApiServer.forget();
    }

    private List<Pod> servers() {
        return client.pods().inNamespace("gpu-dev").withLabel("gpu-dev/reservation").list().getItems();
    }

    @Test
    void withJupyterDisabledARequestForItIsRefusedAndTheFormDoesNotOfferIt() throws Exception {
        try (var h = SlackHarnessAccess.start(Map.of("cluster.kind", "kubernetes", "cluster.kubernetes.namespace", "gpu-dev",
                "cluster.kubernetes.jupyter", "false"))) {
            // refused in the ack itself: validation is pure, so nothing is promised that cannot start
            assertThat(h.ack("reserve h100 1 1h --jupyter", "U0ANA"))
                    .contains("Jupyter is not enabled on this cluster; reserve without `--jupyter`.").doesNotContain("Reserving");
            h.reserve("reserve", "U0ANA");
            assertThat(h.sent("views.open")).singleElement().satisfies(b -> assertThat(b).contains("reserve_modal").doesNotContain("Jupyter"));
            assertThat(servers()).isEmpty();
        }
    }

    @Test
    void onlyTheDefaultImageAndTheAllowListRunAndARefusalListsThem() throws Exception {
        try (var h = SlackHarnessAccess.start(Map.of("cluster.kind", "kubernetes", "cluster.kubernetes.namespace", "gpu-dev",
                "cluster.kubernetes.image", "nvcr.io/nvidia/pytorch:25.01-py3", "cluster.kubernetes.images", "ghcr.io/acme/, ubuntu:22.04"))) {
            // refused in the ack itself, with the allowed images: nothing is promised that cannot start
            assertThat(h.ack("reserve h100 1 1h --image evil/miner", "U0ANA")).contains(
                    "The image `evil/miner` is not allowed on this cluster. Allowed: `nvcr.io/nvidia/pytorch:25.01-py3` (the default: "
                            + "reserve without `--image`), `docker.io/library/ubuntu:22.04`, any image under `ghcr.io/acme/`.").doesNotContain("Reserving");
            assertThat(servers()).isEmpty();

            h.reserve("reserve h100 1 1h --image nvcr.io/nvidia/pytorch:25.01-py3", "U0ANA");
            h.reserve("reserve h100 1 1h --image ghcr.io/acme/trainer:3", "U0BOB");
            await().atMost(Duration.ofSeconds(20)).until(() -> servers().size() == 2);
            assertThat(servers()).extracting(p -> p.getSpec().getContainers().getFirst().getImage())
                    .containsExactlyInAnyOrder("nvcr.io/nvidia/pytorch:25.01-py3", "ghcr.io/acme/trainer:3");

            h.reserve("reserve", "U0ANA");
            assertThat(h.sent("views.open")).singleElement().satisfies(b -> assertThat(b).contains("Container image")
                    .contains("Allowed: nvcr.io/nvidia/pytorch:25.01-py3 (the default: leave this empty), docker.io/library/ubuntu:22.04, "
                            + "any image under ghcr.io/acme/."));
        }
    }

    @Test
    void withJupyterEnabledTheFormOffersIt() throws Exception {
        try (var h = SlackHarnessAccess.start(Map.of("cluster.kind", "kubernetes", "cluster.kubernetes.namespace", "gpu-dev"))) {
            h.reserve("reserve", "U0ANA");
            assertThat(h.sent("views.open")).singleElement().satisfies(b -> assertThat(b).contains("Start Jupyter too"));
        }
    }

    @Test
    void aReservationBecomesAServerOnOneNodeAndReleaseRemovesIt() throws Exception {
        try (var h = SlackHarnessAccess.start(Map.of("cluster.kind", "kubernetes", "cluster.kubernetes.namespace", "gpu-dev"))) {
            assertThat(h.availability()).contains("*h100*: 16/16 free");
            h.reserve("reserve h100 4 2h", "U0ANA");
            await().atMost(Duration.ofSeconds(20)).until(() -> servers().size() == 1);
            Pod pod = servers().getFirst();
            assertThat(pod.getSpec().getContainers().getFirst().getResources().getLimits().get("nvidia.com/gpu")).isEqualTo(new Quantity("4"));
            assertThat(pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                    .getNodeSelectorTerms().getFirst().getMatchFields().getFirst().getValues()).singleElement().isIn("p5-a", "p5-b");
            assertThat(client.secrets().inNamespace("gpu-dev").withLabel("gpu-dev/reservation").list().getItems()).hasSize(1);

            String id = pod.getMetadata().getLabels().get("gpu-dev/reservation");
            h.press("cancel_confirmed", id, "U0ANA");
            await().atMost(Duration.ofSeconds(20)).until(() -> servers().isEmpty());
            // release deletes the pods first and the Secret last
            await().atMost(Duration.ofSeconds(20)).until(() -> client.secrets().inNamespace("gpu-dev").withLabel("gpu-dev/reservation")
                    .list().getItems().isEmpty());
        }
    }
}
