package dev.gpudev.deploy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class NetworkPolicyTest {
    static final Endpoint ALICE_1 = Endpoint.server("10.0.64.11", "r-alice-1", "alice");
    static final Endpoint ALICE_1B = Endpoint.server("10.0.65.12", "r-alice-1", "alice");
    static final Endpoint ALICE_2 = Endpoint.server("10.0.64.13", "r-alice-2", "alice");
    static final Endpoint BOB = Endpoint.server("10.0.66.14", "r-bob-1", "bob");
    static final Endpoint BOT = Endpoint.pod(Chart.NAMESPACE, "10.0.32.5",
            Map.of("app.kubernetes.io/name", "gpu-dev-bot", "app.kubernetes.io/instance", "gpu-dev-bot"));
    static final Endpoint OTHER_IN_BOT_NAMESPACE = Endpoint.pod(Chart.NAMESPACE, "10.0.32.6", Map.of("app", "redis"));
    static final Endpoint KUBE_DNS = Endpoint.pod("kube-system", "10.0.0.10", Map.of("k8s-app", "kube-dns"));
    static final Endpoint API_SERVER = Endpoint.outside("10.0.0.1");
    static final Endpoint IMDS = Endpoint.outside("169.254.169.254");
    static final Endpoint NODE = Endpoint.outside("10.0.1.20");
    static final Endpoint PYPI = Endpoint.outside("151.101.0.223");
    static final Endpoint USER_LAPTOP = Endpoint.outside("203.0.113.7");

    static Stream<Named<Map<String, Object>>> settings() {
        return Stream.of(
                named("defaults", Map.of()),
                named("VPC 172.31/16 only, SSH from a VPN range",
                        Map.of("networkPolicy.clusterCidrs[0]", "10.0.0.0/16", "networkPolicy.clusterCidrs[1]", "172.31.0.0/16",
                                "networkPolicy.clientCidrs[0]", "203.0.113.0/24")));
    }

    static Stream<Arguments> blockedFlows() {
        return settings().flatMap(s -> Stream.of(
                arguments(s, named("server -> instance metadata", new Flow(ALICE_1, IMDS, "TCP", 80))),
                arguments(s, named("server -> bot", new Flow(ALICE_1, BOT, "TCP", 8080))),
                arguments(s, named("server -> another pod in the bot's namespace", new Flow(ALICE_1, OTHER_IN_BOT_NAMESPACE, "TCP", 6379))),
                arguments(s, named("server -> other user's server SSH", new Flow(ALICE_1, BOB, "TCP", 22))),
                arguments(s, named("server -> other user's server NCCL", new Flow(BOB, ALICE_1, "TCP", 29500))),
                arguments(s, named("server -> own other reservation", new Flow(ALICE_1, ALICE_2, "TCP", 29500))),
                arguments(s, named("server -> node", new Flow(ALICE_1, NODE, "TCP", 10250))),
                arguments(s, named("server -> API server", new Flow(ALICE_1, API_SERVER, "TCP", 443))),
                arguments(s, named("server -> DNS pod on a non-DNS port", new Flow(ALICE_1, KUBE_DNS, "TCP", 9153))),
                arguments(s, named("bot -> server on another port", new Flow(BOT, ALICE_1, "TCP", 2375)))));
    }

    static Stream<Arguments> allowedFlows() {
        return settings().flatMap(s -> Stream.of(
                arguments(s, named("laptop -> server SSH", new Flow(USER_LAPTOP, ALICE_1, "TCP", 22))),
                arguments(s, named("laptop -> server Jupyter", new Flow(USER_LAPTOP, ALICE_1, "TCP", 8888))),
                arguments(s, named("bot -> server SSH (readiness check)", new Flow(BOT, ALICE_1, "TCP", 22))),
                arguments(s, named("server -> DNS", new Flow(ALICE_1, KUBE_DNS, "UDP", 53))),
                arguments(s, named("server -> internet", new Flow(ALICE_1, PYPI, "TCP", 443)))));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("blockedFlows")
    void blocks(Map<String, Object> sets, Flow flow) {
        var model = new NetworkModel(Chart.render(sets).all(NetworkPolicy.class));

        assertThat(model.connects(flow.from(), flow.to(), flow.protocol(), flow.port())).isFalse();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("allowedFlows")
    void allows(Map<String, Object> sets, Flow flow) {
        var model = new NetworkModel(Chart.render(sets).all(NetworkPolicy.class));

        assertThat(model.connects(flow.from(), flow.to(), flow.protocol(), flow.port())).isTrue();
    }

    @Test
    void podsOfOneMultiNodeReservationReachEachOtherThroughThePeerPolicy() {
        List<NetworkPolicy> policies = Stream.concat(
                Chart.render().all(NetworkPolicy.class).stream(),
                Stream.of(peerPolicy("r-alice-1"), peerPolicy("r-bob-1"))).toList();
        var model = new NetworkModel(policies);

        assertThat(model.connects(ALICE_1, ALICE_1B, "TCP", 29500)).as("same reservation").isTrue();
        assertThat(model.connects(ALICE_1B, ALICE_1, "TCP", 22)).as("same reservation, back").isTrue();
        assertThat(model.connects(ALICE_1, BOB, "TCP", 29500)).as("other user's reservation").isFalse();
        assertThat(model.connects(BOB, ALICE_1B, "TCP", 29500)).as("other user's reservation, back").isFalse();
        assertThat(model.connects(ALICE_1, ALICE_2, "TCP", 29500)).as("owner's other reservation").isFalse();
    }

    @Test
    void botProbesTheConfiguredSshPortOnly() {
        var model = new NetworkModel(Chart.render(Map.of("networkPolicy.sshPort", 2222, "networkPolicy.serverPorts[0]", 2222))
                .all(NetworkPolicy.class));

        assertThat(model.connects(BOT, ALICE_1, "TCP", 2222)).isTrue();
        assertThat(model.connects(BOT, ALICE_1, "TCP", 22)).isFalse();
        assertThat(model.connects(ALICE_1, BOT, "TCP", 8080)).isFalse();
    }

    @Test
    void instanceMetadataStaysBlockedWhateverTheClusterRanges() {
        var rendered = Chart.render(Map.of("networkPolicy.clusterCidrs[0]", "192.168.0.0/16"));

        assertThat(rendered.all(NetworkPolicy.class))
                .flatMap(p -> p.getSpec().getEgress())
                .flatMap(rule -> rule.getTo())
                .filteredOn(peer -> peer.getIpBlock() != null)
                .isNotEmpty()
                .allSatisfy(peer -> assertThat(NetworkModel.inBlock(peer.getIpBlock(), "169.254.169.254")).isFalse());
    }

    @Test
    void everyPodInTheServersNamespaceStartsDenied() {
        NetworkPolicy deny = Chart.render().one(NetworkPolicy.class, "gpu-dev-default-deny");
        var unlabelled = Endpoint.pod(Chart.SERVERS, "10.0.70.1", Map.of("app", "debug"));
        var model = new NetworkModel(List.of(deny));

        assertThat(deny.getMetadata().getNamespace()).isEqualTo(Chart.SERVERS);
        assertThat(model.connects(unlabelled, PYPI, "TCP", 443)).isFalse();
        assertThat(model.connects(USER_LAPTOP, unlabelled, "TCP", 22)).isFalse();
    }

    @Test
    void disabledRendersNoPolicy() {
        assertThat(Chart.render(Map.of("networkPolicy.enabled", false)).all(NetworkPolicy.class)).isEmpty();
    }

    /** The policy the Kubernetes adapter creates for each multi-node reservation (docs/deploy.md). */
    static NetworkPolicy peerPolicy(String reservation) {
        var self = Map.of("gpu-dev/reservation", reservation);
        return new NetworkPolicyBuilder()
                .withNewMetadata().withName("gpu-dev-peers-" + reservation).withNamespace(Chart.SERVERS).endMetadata()
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(self).endPodSelector()
                .withPolicyTypes("Ingress", "Egress")
                .addNewIngress().addNewFrom().withNewPodSelector().withMatchLabels(self).endPodSelector().endFrom().endIngress()
                .addNewEgress().addNewTo().withNewPodSelector().withMatchLabels(self).endPodSelector().endTo().endEgress()
                .endSpec()
                .build();
    }

    record Flow(Endpoint from, Endpoint to, String protocol, int port) {
    }
}
