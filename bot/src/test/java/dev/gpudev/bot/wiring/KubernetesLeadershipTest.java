package dev.gpudev.bot.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gpudev.bot.slack.SlackHarnessAccess;

/**
 * With a Kubernetes cluster the bot schedules only holding the Lease, whatever {@code leader-election.enabled} says:
 * the old and new pod of a rollout overlap even with one replica.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesLeadershipTest {
    static KubernetesClient client;

    @BeforeEach
    void cluster() {
        MockApiServer.point(client);
    }

    @AfterEach
    void clear() {
        MockApiServer.forget();
    }

    @ParameterizedTest(name = "leader-election.enabled: {0}")
    @ValueSource(strings = {"false", "true"})
    void theBotLeadsOnlyHoldingTheLease(String enabled) throws Exception {
        try (var h = SlackHarnessAccess.start(Map.of("cluster.kind", "kubernetes", "cluster.kubernetes.namespace", "gpu-dev",
                "leader-election.enabled", enabled, "leader-election.lease-name", "lease-" + enabled))) {
            Lease lease = client.leases().inNamespace("gpu-dev").withName("lease-" + enabled).get();

            assertThat(lease).isNotNull();
            assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
        }
    }
}
