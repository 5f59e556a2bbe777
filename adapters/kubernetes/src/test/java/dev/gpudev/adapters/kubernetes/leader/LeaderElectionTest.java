package dev.gpudev.adapters.kubernetes.leader;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {
    static KubernetesClient client;
    final List<String> log = new CopyOnWriteArrayList<>();

    LeaderElection candidate(String name) {
        return new LeaderElection(client, "gpu-dev", "gpu-dev-bot", name, Duration.ofSeconds(2),
                () -> log.add(name + " leads"), () -> log.add(name + " stopped"));
    }

    @Test
    void twoReplicasHandLeadershipOverWhenTheLeaderStops() {
        try (LeaderElection a = candidate("bot-a"); LeaderElection b = candidate("bot-b")) {
            a.start();
            await().atMost(Duration.ofSeconds(10)).until(a::leading);
            b.start();
            // b keeps trying while a renews; it must not lead alongside a
            await().atMost(Duration.ofSeconds(10)).until(() -> client.leases().inNamespace("gpu-dev").withName("gpu-dev-bot")
                    .get().getSpec().getRenewTime().isAfter(client.leases().inNamespace("gpu-dev").withName("gpu-dev-bot")
                            .get().getSpec().getAcquireTime()));
            assertThat(b.leading()).isFalse();

            a.stop();
            await().atMost(Duration.ofSeconds(10)).until(b::leading);
            assertThat(a.leading()).isFalse();
            assertThat(log).containsExactly("bot-a leads", "bot-a stopped", "bot-b leads");
            assertThat(client.leases().inNamespace("gpu-dev").withName("gpu-dev-bot").get().getSpec().getHolderIdentity()).isEqualTo("bot-b");
        }
    }

    @Test
    void aFollowerTakesOverWhenADeadLeadersLeaseRunsOut() {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        client.leases().inNamespace("gpu-dev").resource(new LeaseBuilder().withNewMetadata().withName("dead-bot").endMetadata()
                .withNewSpec().withHolderIdentity("bot-crashed").withLeaseDurationSeconds(2).withAcquireTime(now).withRenewTime(now)
                .withLeaseTransitions(0).endSpec().build()).create();
        try (LeaderElection b = new LeaderElection(client, "gpu-dev", "dead-bot", "bot-b", Duration.ofSeconds(2),
                () -> log.add("bot-b leads"), () -> log.add("bot-b stopped"))) {
            b.start();
            await().atMost(Duration.ofSeconds(10)).until(b::leading);
            assertThat(client.leases().inNamespace("gpu-dev").withName("dead-bot").get().getSpec().getHolderIdentity()).isEqualTo("bot-b");
        }
    }

    @Test
    void refusesALeaseTooShortToRenew() {
        assertThatThrownBy(() -> new LeaderElection(client, "gpu-dev", "l", "me", Duration.ofMillis(500), () -> { }, () -> { }))
                .hasMessageContaining("lease-duration");
    }
}
