package dev.gpudev.deploy;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.adapters.kubernetes.server.Labels;
import dev.gpudev.adapters.kubernetes.server.ServerObjects;
import dev.gpudev.adapters.kubernetes.server.ServerPlan;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.ServerSpec;
import dev.gpudev.scheduler.testing.Fixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class NetworkPolicyTest {
    static final Endpoint ALICE_1 = Endpoint.server("10.0.64.11", "r-alice-1", "alice");
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
    /** discord.com and gateway.discord.gg (Cloudflare): the Discord front-end's REST calls and gateway WebSocket. */
    static final Endpoint DISCORD = Endpoint.outside("162.159.135.232");

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
                arguments(s, named("bot -> server on another port", new Flow(BOT, ALICE_1, "TCP", 2375))),
                arguments(s, named("laptop -> server Jupyter (reached through SSH)", new Flow(USER_LAPTOP, ALICE_1, "TCP", 8888)))));
    }

    static Stream<Arguments> allowedFlows() {
        return settings().flatMap(s -> Stream.of(
                arguments(s, named("laptop -> server SSH", new Flow(USER_LAPTOP, ALICE_1, "TCP", 22))),
                arguments(s, named("bot -> server SSH (readiness check)", new Flow(BOT, ALICE_1, "TCP", 22))),
                arguments(s, named("bot -> Discord gateway and REST (HTTPS)", new Flow(BOT, DISCORD, "TCP", 443))),
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
    void rankOneReachesRankZeroOfItsOwnReservationOnlyThroughThePeersPolicyTheAdapterCreates() {
        ServerPlan alice = plan(SERVERS, "h100-0a01", "alice", "gpu-a", "gpu-b");
        ServerPlan bob = plan(SERVERS, "h100-0b01", "bob", "gpu-c", "gpu-d");
        var model = new NetworkModel(Stream.concat(Chart.render().all(NetworkPolicy.class).stream(),
                Stream.of(alice.peers(), bob.peers())).toList());
        Endpoint rank0 = endpoint(alice, 0, "10.0.64.21");
        Endpoint rank1 = endpoint(alice, 1, "10.0.65.22");
        Endpoint bob0 = endpoint(bob, 0, "10.0.66.23");
        Endpoint bob1 = endpoint(bob, 1, "10.0.66.24");
        int rendezvous = SERVERS.masterPort();

        assertThat(model.connects(rank1, rank0, "TCP", rendezvous)).as("rank 1 -> rank 0 rendezvous").isTrue();
        assertThat(model.connects(rank1, rank0, "TCP", 22)).as("rank 1 -> rank 0 SSH").isTrue();
        assertThat(model.connects(rank0, rank1, "TCP", 22)).as("rank 0 -> rank 1 SSH").isTrue();
        assertThat(model.connects(rank0, rank1, "TCP", 45123)).as("NCCL socket on an ephemeral port").isTrue();
        assertThat(model.connects(rank1, rank0, "TCP", 6379)).as("a port no launcher uses").isFalse();
        assertThat(model.connects(rank1, rank0, "UDP", rendezvous)).as("UDP").isFalse();
        assertThat(model.connects(bob1, bob0, "TCP", rendezvous)).as("bob's own ranks").isTrue();
        for (Endpoint[] pair : new Endpoint[][] {{bob0, rank0}, {bob1, rank1}, {rank0, bob0}, {rank1, bob1}}) {
            for (int port : new int[] {rendezvous, 22, 45123}) {
                assertThat(model.connects(pair[0], pair[1], "TCP", port))
                        .as("%s -> %s:%d across reservations", pair[0].labels().get(Labels.RESERVATION),
                                pair[1].labels().get(Labels.RESERVATION), port)
                        .isFalse();
            }
        }
        var impostor = Endpoint.pod("ml", "10.0.70.9", alice.pods().getFirst().getMetadata().getLabels());
        assertThat(model.connects(impostor, rank0, "TCP", rendezvous)).as("same labels, other namespace").isFalse();
        var debug = Endpoint.pod(Chart.SERVERS, "10.0.70.10", Map.of("app", "debug"));
        assertThat(model.connects(debug, rank0, "TCP", rendezvous)).as("unlabelled pod of the servers' namespace").isFalse();
    }

    @Test
    void withoutThePeersPolicyTheChartKeepsRanksApart() {
        ServerPlan alice = plan(SERVERS.toBuilder().peerPolicy(false).build(), "h100-0a01", "alice", "gpu-a", "gpu-b");
        var model = new NetworkModel(Chart.render().all(NetworkPolicy.class));

        assertThat(alice.peers()).isNull();
        assertThat(model.connects(endpoint(alice, 1, "10.0.65.22"), endpoint(alice, 0, "10.0.64.21"), "TCP", 29500)).isFalse();
    }

    @Test
    void theBotStopsMakingPeersPoliciesWhenItMayNot() {
        assertThat(Chart.render(Map.of("rbac.manageNetworkPolicies", false)).botConfig()).extractingByKey("cluster")
                .asInstanceOf(MAP).extractingByKey("kubernetes").asInstanceOf(MAP).containsEntry("peer-policy", false);
        assertThat(Chart.render().botConfig()).extractingByKey("cluster")
                .asInstanceOf(MAP).extractingByKey("kubernetes").asInstanceOf(MAP).doesNotContainKey("peer-policy");
    }

    @Test
    void anExposedJupyterIsReachableOnlyOnceItsPortIsListed() {
        var model = new NetworkModel(Chart.render(Map.of("networkPolicy.serverPorts[0]", 22, "networkPolicy.serverPorts[1]", 8888)).all(NetworkPolicy.class));

        assertThat(model.connects(USER_LAPTOP, ALICE_1, "TCP", 8888)).isTrue();
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

    /** The bot's settings as the chart writes them: servers in the chart's servers' namespace. */
    static final KubernetesSettings SERVERS = KubernetesSettings.builder().namespace(Chart.SERVERS).build();

    /** What the Kubernetes adapter builds for a 2x8 reservation of {@code owner} on two nodes. */
    static ServerPlan plan(KubernetesSettings s, String id, String owner, String... nodes) {
        Reservation r = Reservation.queued(new ReservationId(id), new UserId("U" + owner.toUpperCase(Locale.ROOT)), "h100", 16,
                Duration.ofHours(2), RequestOptions.NONE, Fixtures.T0).provisioning(Stream.of(nodes).map(NodeName::new).toList(), Fixtures.T0);
        return ServerObjects.plan(new ServerSpec(r, new GithubLogin(owner), List.of(Fixtures.ED25519)), s, 8, Map.of(), "");
    }

    static Endpoint endpoint(ServerPlan plan, int rank, String ip) {
        Pod pod = plan.pods().get(rank);
        return Endpoint.pod(pod.getMetadata().getNamespace(), ip, pod.getMetadata().getLabels());
    }

    record Flow(Endpoint from, Endpoint to, String protocol, int port) {
    }
}
