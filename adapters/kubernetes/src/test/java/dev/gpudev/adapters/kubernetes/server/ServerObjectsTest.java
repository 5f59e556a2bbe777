package dev.gpudev.adapters.kubernetes.server;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.adapters.kubernetes.StorageSettings;
import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.SshPublicKey;
import dev.gpudev.scheduler.port.ServerSpec;
import dev.gpudev.scheduler.port.VolumeQuota;
import dev.gpudev.scheduler.testing.Fixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ServerObjectsTest {
    static final KubernetesSettings S = KubernetesSettings.defaults();
    static final GithubLogin ANA = new GithubLogin("Ana-Dev");
    /** A p5.48xlarge as EKS reports it: 192 vCPU, ~2 TiB, 32 EFA interfaces. */
    static final NodeResources P5 = new NodeResources(new BigDecimal("191.45"), new BigDecimal(2_000L * 1024 * 1024 * 1024), 32);

    static Reservation reservation(int gpus, RequestOptions options, String... nodes) {
        return Reservation.queued(new ReservationId("h100-0a01"), Fixtures.ANA, "h100", gpus, Duration.ofHours(2), options, Fixtures.T0)
                .provisioning(java.util.Arrays.stream(nodes).map(NodeName::new).toList(), Fixtures.T0);
    }

    static ServerPlan plan(KubernetesSettings s, Reservation r, String token) {
        Map<NodeName, NodeResources> res = r.nodes().stream().collect(Collectors.toMap(n -> n, n -> P5));
        return ServerObjects.plan(new ServerSpec(r, ANA, List.of(Fixtures.ED25519)), s, 8, res, token);
    }

    static Container container(Pod p) {
        return p.getSpec().getContainers().getFirst();
    }

    static Map<String, String> env(Pod p) {
        return container(p).getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    static Volume volume(Pod p, String name) {
        return p.getSpec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
    }

    static Map<String, String> mounts(Pod p) {
        return container(p).getVolumeMounts().stream().collect(Collectors.toMap(VolumeMount::getMountPath, VolumeMount::getName));
    }

    static List<Arguments> gpuCounts() {
        // (191.45 - 2) cores and (2000 - 16) GiB, times gpus/8, rounded down
        return List.of(
                arguments(Named.of("one GPU: an eighth of the node", 1), "8Gi", "23681m", "253952Mi"),
                arguments(Named.of("four GPUs: half of the node", 4), "32Gi", "94725m", "1015808Mi"),
                arguments(Named.of("a whole node", 8), "64Gi", "189450m", "2031616Mi"));
    }

    @ParameterizedTest
    @MethodSource("gpuCounts")
    void sharesTheNodeInProportionToTheGpus(int gpus, String shm, String cpu, String memory) {
        Pod pod = plan(S, reservation(gpus, RequestOptions.NONE, "gpu-a"), "").pods().getFirst();
        Map<String, Quantity> requests = container(pod).getResources().getRequests();
        assertThat(requests).containsEntry("nvidia.com/gpu", new Quantity(Integer.toString(gpus)))
                .containsEntry("cpu", new Quantity(cpu)).containsEntry("memory", new Quantity(memory))
                .doesNotContainKey(NodeResources.EFA);
        assertThat(container(pod).getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity(Integer.toString(gpus)));
        assertThat(volume(pod, "shm").getEmptyDir().getMedium()).isEqualTo("Memory");
        assertThat(Quantity.getAmountInBytes(volume(pod, "shm").getEmptyDir().getSizeLimit()))
                .isEqualByComparingTo(Quantity.getAmountInBytes(new Quantity(shm)));
        assertThat(mounts(pod)).containsEntry("/dev/shm", "shm").containsEntry("/workspace", "workspace");
    }

    @Test
    void aNodeOfUnknownSizeGetsNoCpuOrMemoryRequests() {
        Reservation r = reservation(2, RequestOptions.NONE, "gpu-a");
        Pod pod = ServerObjects.plan(new ServerSpec(r, ANA, List.of(Fixtures.ED25519)), S, 8, Map.of(), "").pods().getFirst();
        assertThat(container(pod).getResources().getRequests()).containsOnlyKeys("nvidia.com/gpu");
    }

    @Test
    void aServerIsBoundToItsNodeToleratesTheGpuTaintAndHasNoPrivileges() {
        Pod pod = plan(S, reservation(4, RequestOptions.NONE, "gpu-a"), "").pods().getFirst();
        var terms = pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
        assertThat(terms).singleElement().satisfies(t -> assertThat(t.getMatchFields()).singleElement().satisfies(f -> {
            assertThat(f.getKey()).isEqualTo("metadata.name");
            assertThat(f.getValues()).containsExactly("gpu-a");
        }));
        assertThat(pod.getSpec().getTolerations()).singleElement()
                .satisfies(t -> assertThat(List.of(t.getKey(), t.getOperator())).containsExactly("nvidia.com/gpu", "Exists"));
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(container(pod).getSecurityContext().getPrivileged()).isFalse();
        assertThat(pod.getMetadata().getLabels()).containsEntry(Labels.RESERVATION, "h100-0a01")
                .containsEntry(Labels.OWNER, "ana-dev").containsEntry(Labels.GPU_TYPE, "h100").containsEntry(Labels.MANAGED_BY, "gpu-dev-bot");
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("gpu-dev");
        assertThat(container(pod).getImage()).isEqualTo(S.image());
    }

    static List<Arguments> shapes() {
        return List.of(arguments(Named.of("one GPU", reservation(1, RequestOptions.NONE, "gpu-a"))),
                arguments(Named.of("2x8 with EFA", reservation(16, RequestOptions.NONE, "gpu-a", "gpu-b"))));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void serversDropEveryCapabilityButWhatSshdNeedsUnderRuntimeDefaultSeccomp(Reservation r) {
        for (Pod pod : plan(S, r, "").pods()) {
            assertThat(pod.getSpec().getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            var sc = container(pod).getSecurityContext();
            assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(sc.getPrivileged()).isFalse();
            assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
            assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(sc.getCapabilities().getAdd()).containsExactlyInAnyOrder("AUDIT_WRITE", "CHOWN", "FOWNER",
                    "KILL", "NET_BIND_SERVICE", "SETGID", "SETUID", "SYS_CHROOT");
            assertThat(pod.getSpec().getHostNetwork()).isNull();
        }
    }

    @Test
    void caches_live_under_the_workspace_and_no_rendezvous_on_one_node() {
        Pod pod = plan(S, reservation(1, RequestOptions.NONE, "gpu-a"), "").pods().getFirst();
        assertThat(env(pod)).containsEntry("HF_HOME", "/workspace/.cache/huggingface").containsEntry("XDG_CACHE_HOME", "/workspace/.cache")
                .doesNotContainKeys("MASTER_ADDR", "WORLD_SIZE", "NODE_RANK", "FI_PROVIDER", "JUPYTER_TOKEN");
        assertThat(pod.getSpec().getHostname()).isNull();
    }

    @Test
    void everyKeyTypeGoesIntoTheSecret() {
        List<SshPublicKey> keys = SshPublicKey.TYPES.stream().sorted().map(t -> new SshPublicKey(t, "AAAAB3Nza" + t.length(), "k " + t)).toList();
        Reservation r = reservation(1, RequestOptions.NONE, "gpu-a");
        ServerPlan plan = ServerObjects.plan(new ServerSpec(r, ANA, keys), S, 8, Map.of(), "");
        String authorized = plan.secret().getStringData().get(ServerObjects.KEYS);
        assertThat(authorized.lines().toList()).hasSize(SshPublicKey.TYPES.size())
                .allSatisfy(l -> assertThat(SshPublicKey.TYPES).contains(l.split(" ")[0]))
                .anyMatch(l -> l.startsWith("sk-ssh-ed25519@openssh.com "))
                .anyMatch(l -> l.startsWith("sk-ecdsa-sha2-nistp256@openssh.com "))
                .anyMatch(l -> l.startsWith("ecdsa-sha2-nistp521 "));
        assertThat(plan.secret().getStringData()).doesNotContainKey(ServerObjects.JUPYTER_TOKEN);
        Volume keysVolume = volume(plan.pods().getFirst(), "ssh-keys");
        assertThat(keysVolume.getSecret().getSecretName()).isEqualTo(plan.secret().getMetadata().getName());
    }

    @Test
    void multiNodeServersGetOnePodPerNodeRendezvousAndEfa() {
        Reservation r = reservation(16, RequestOptions.NONE, "gpu-a", "gpu-b");
        ServerPlan plan = plan(S, r, "");
        assertThat(plan.pods()).extracting(p -> p.getMetadata().getName()).containsExactly("gpu-dev-h100-0a01-0", "gpu-dev-h100-0a01-1");
        assertThat(plan.services()).extracting(s -> s.getMetadata().getName()).containsExactly("gpu-dev-h100-0a01", "gpu-dev-h100-0a01-nodes");
        assertThat(plan.services().get(1).getSpec().getClusterIP()).isEqualTo("None");
        for (int rank = 0; rank < 2; rank++) {
            Pod pod = plan.pods().get(rank);
            assertThat(env(pod)).containsEntry("MASTER_ADDR", "gpu-dev-h100-0a01-0.gpu-dev-h100-0a01-nodes.gpu-dev.svc")
                    .containsEntry("MASTER_PORT", "29500").containsEntry("WORLD_SIZE", "16").containsEntry("NNODES", "2")
                    .containsEntry("NPROC_PER_NODE", "8").containsEntry("NODE_RANK", Integer.toString(rank))
                    .containsEntry("FI_PROVIDER", "efa").containsEntry("NCCL_DEBUG", "WARN");
            assertThat(pod.getSpec().getHostname()).isEqualTo("gpu-dev-h100-0a01-" + rank);
            assertThat(pod.getSpec().getSubdomain()).isEqualTo("gpu-dev-h100-0a01-nodes");
            assertThat(container(pod).getResources().getRequests()).containsEntry(NodeResources.EFA, new Quantity("32"))
                    .containsEntry("nvidia.com/gpu", new Quantity("8"));
            // EFA's locked memory comes from the node's memlock limit: IPC_LOCK is not admitted by baseline
            assertThat(container(pod).getSecurityContext().getCapabilities().getAdd()).doesNotContain("IPC_LOCK");
            assertThat(pod.getMetadata().getLabels()).containsEntry(Labels.RANK, Integer.toString(rank));
            String node = pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                    .getNodeSelectorTerms().getFirst().getMatchFields().getFirst().getValues().getFirst();
            assertThat(node).isEqualTo(rank == 0 ? "gpu-a" : "gpu-b");
        }
        assertThat(plan.services().getFirst().getSpec().getSelector()).containsEntry(Labels.RANK, "0");
    }

    @Test
    void aMultiNodeServerGetsAPeersPolicyForItsOwnPodsOnly() {
        Reservation r = reservation(16, RequestOptions.NONE, "gpu-a", "gpu-b");
        NetworkPolicy peers = plan(S.toBuilder().masterPort(29400).peerPorts("40000-49999").build(), r, "").peers();

        assertThat(peers).isNotNull();
        assertThat(peers.getMetadata().getName()).isEqualTo("gpu-dev-peers-h100-0a01");
        assertThat(peers.getMetadata().getNamespace()).isEqualTo("gpu-dev");
        assertThat(Labels.reservationOf(peers)).contains(r.id());
        var self = Map.of(Labels.MANAGED_BY, Labels.BOT, Labels.RESERVATION, "h100-0a01");
        assertThat(peers.getSpec().getPodSelector().getMatchLabels()).isEqualTo(self);
        assertThat(peers.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        List<String> ports = List.of("TCP 22", "TCP 29400", "TCP 40000-49999");
        assertThat(peers.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getFrom()).singleElement().satisfies(from -> {
                assertThat(from.getPodSelector().getMatchLabels()).isEqualTo(self);
                assertThat(from.getNamespaceSelector()).isNull();
                assertThat(from.getIpBlock()).isNull();
            });
            assertThat(rule.getPorts()).extracting(ServerObjectsTest::port).isEqualTo(ports);
        });
        assertThat(peers.getSpec().getEgress()).singleElement().satisfies(rule -> {
            assertThat(rule.getTo()).singleElement().satisfies(to -> assertThat(to.getPodSelector().getMatchLabels()).isEqualTo(self));
            assertThat(rule.getPorts()).extracting(ServerObjectsTest::port).isEqualTo(ports);
        });
        for (Pod pod : plan(S, r, "").pods()) {
            assertThat(pod.getMetadata().getLabels()).containsAllEntriesOf(self);
        }
    }

    @Test
    void noPeersPolicyOnOneNodeOrWhenSwitchedOff() {
        assertThat(plan(S, reservation(8, RequestOptions.NONE, "gpu-a"), "").peers()).isNull();
        assertThat(plan(S.toBuilder().peerPolicy(false).build(), reservation(16, RequestOptions.NONE, "gpu-a", "gpu-b"), "").peers()).isNull();
    }

    static String port(NetworkPolicyPort p) {
        return p.getProtocol() + " " + p.getPort().getIntVal() + (p.getEndPort() == null ? "" : "-" + p.getEndPort());
    }

    @Test
    void sharedHomeAndDiskVolumesWhenConfigured() {
        KubernetesSettings s = S.toBuilder().efsClaim("team-efs").homeStorageClass("gp3").homeSize("200Gi")
                .storage(new StorageSettings("snaps", VolumeQuota.DEFAULTS, true, "ml")).build();
        Reservation r = reservation(16, RequestOptions.NONE, "gpu-a", "gpu-b");
        ServerPlan plan = ServerObjects.plan(new ServerSpec(r, ANA, List.of(Fixtures.ED25519), new DiskName("data")), s, 8,
                Map.of(), "", new Mounts("gpu-dev-home-ana-dev.2", "gpu-dev-disk-ana-dev.data.0", new DiskName("data")));
        assertThat(mounts(plan.pods().get(0))).containsEntry("/shared", "shared").containsEntry("/home/dev", "home")
                .containsEntry("/disks/data", "disk").containsEntry("/shared/users/ana-dev", "shared")
                .containsEntry("/shared/team", "shared");
        assertThat(container(plan.pods().get(0)).getVolumeMounts()).filteredOn(m -> m.getSubPath() != null)
                .extracting(VolumeMount::getSubPath).containsExactly("users/ana-dev", "teams/ml");
        assertThat(volume(plan.pods().get(0), "shared").getPersistentVolumeClaim().getClaimName()).isEqualTo("team-efs");
        assertThat(volume(plan.pods().get(0), "home").getPersistentVolumeClaim().getClaimName()).isEqualTo("gpu-dev-home-ana-dev.2");
        assertThat(volume(plan.pods().get(0), "disk").getPersistentVolumeClaim().getClaimName()).isEqualTo("gpu-dev-disk-ana-dev.data.0");
        // a ReadWriteOnce volume can be attached to one node only
        assertThat(mounts(plan.pods().get(1))).containsEntry("/shared", "shared").doesNotContainKeys("/home/dev", "/disks/data");

        // the first home by default, named as homes were before disks
        assertThat(mounts(plan(s, reservation(1, RequestOptions.NONE, "gpu-a"), "").pods().getFirst())).containsEntry("/home/dev", "home");
        ServerPlan plain = plan(S.toBuilder().homeStorageClass("").build(), reservation(1, RequestOptions.NONE, "gpu-a"), "");
        assertThat(mounts(plain.pods().getFirst())).doesNotContainKeys("/shared", "/home/dev");
    }

    @Test
    void jupyterGetsItsPortAndTheTokenOnlyThroughTheSecret() {
        Reservation r = reservation(1, new RequestOptions(true, List.of(), null, "ghcr.io/ana/custom:1"), "gpu-a");
        ServerPlan plan = plan(S, r, "s3cr3t");
        Pod pod = plan.pods().getFirst();
        assertThat(plan.secret().getStringData()).containsEntry(ServerObjects.JUPYTER_TOKEN, "s3cr3t");
        // the bootstrap reads it from a file that follows the Secret (edit --jupyter on|off), not from the environment
        assertThat(container(pod).getEnv()).noneMatch(e -> e.getName().equals("JUPYTER_TOKEN"));
        assertThat(pod.getSpec().getVolumes()).filteredOn(v -> v.getName().equals("jupyter")).singleElement().satisfies(v -> {
            assertThat(v.getSecret().getSecretName()).isEqualTo(Labels.serverName(r.id()));
            assertThat(v.getSecret().getItems()).singleElement().satisfies(i -> assertThat(i.getKey()).isEqualTo(ServerObjects.JUPYTER_TOKEN));
            assertThat(v.getSecret().getOptional()).isTrue();
            assertThat(v.getSecret().getDefaultMode()).isEqualTo(0400);
        });
        assertThat(container(pod).getVolumeMounts()).filteredOn(m -> m.getName().equals("jupyter")).singleElement()
                .satisfies(m -> assertThat(m.getMountPath() + " " + m.getReadOnly()).isEqualTo(Bootstrap.JUPYTER_DIR + " true"));
        assertThat(pod.getMetadata().getAnnotations()).containsEntry(Jupyter.SWITCHABLE, "true");
        assertThat(pod.toString()).doesNotContain("s3cr3t");
        assertThat(container(pod).getImage()).isEqualTo("ghcr.io/ana/custom:1");

        Pod custom = plan(S.toBuilder().command(List.of("/start")).build(), r, "s3cr3t").pods().getFirst();
        assertThat(container(custom).getEnv()).filteredOn(e -> e.getName().equals("JUPYTER_TOKEN")).singleElement()
                .satisfies(e -> {
                    assertThat(e.getValue()).isNull();
                    assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(ServerObjects.JUPYTER_TOKEN);
                });
        assertThat(custom.getMetadata().getAnnotations()).as("a custom command cannot switch").doesNotContainKey(Jupyter.SWITCHABLE);
    }

    @Test
    void jupyterIsReachedThroughSshByDefault() {
        Reservation r = reservation(1, new RequestOptions(true, List.of(), null, null), "gpu-a");
        ServerPlan plan = plan(S, r, "s3cr3t");
        Pod pod = plan.pods().getFirst();

        assertThat(plan.services().getFirst().getSpec().getPorts()).extracting(p -> p.getName()).containsExactly("ssh");
        assertThat(container(pod).getPorts()).extracting(p -> p.getName()).containsExactly("ssh");
        assertThat(env(pod)).containsEntry("JUPYTER_IP", "127.0.0.1").containsEntry("JUPYTER_PORT", "8888");
        assertThat(Bootstrap.JUPYTER_SYNC).contains("--ip=\"$JUPYTER_IP\"");
        assertThat(Bootstrap.SCRIPT).doesNotContain("0.0.0.0");
    }

    @Test
    void anExposedJupyterGetsItsServicePort() {
        Reservation r = reservation(1, new RequestOptions(true, List.of(), null, null), "gpu-a");
        ServerPlan plan = plan(S.toBuilder().jupyterExposed(true).build(), r, "s3cr3t");
        Pod pod = plan.pods().getFirst();

        assertThat(plan.services().getFirst().getSpec().getPorts()).extracting(p -> p.getName()).containsExactly("ssh", "jupyter");
        assertThat(env(pod)).containsEntry("JUPYTER_IP", "0.0.0.0");
        assertThat(plan(S.toBuilder().jupyterExposed(true).build(), reservation(1, RequestOptions.NONE, "gpu-a"), "")
                .services().getFirst().getSpec().getPorts()).extracting(p -> p.getName()).containsExactly("ssh");
    }

    @ParameterizedTest
    @MethodSource("serviceTypes")
    void theSshServiceKeepsTheClientAddress(KubernetesSettings.ServiceType type) {
        var service = plan(S.toBuilder().serviceType(type).build(), reservation(1, RequestOptions.NONE, "gpu-a"), "").services().getFirst();

        assertThat(service.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
    }

    static List<KubernetesSettings.ServiceType> serviceTypes() {
        return List.of(KubernetesSettings.ServiceType.values());
    }

    @Test
    void theServiceTypeFollowsTheSettings() {
        Reservation r = reservation(1, RequestOptions.NONE, "gpu-a");
        assertThat(plan(S, r, "").services().getFirst().getSpec().getType()).isEqualTo("NodePort");
        KubernetesSettings lb = S.toBuilder().serviceType(KubernetesSettings.ServiceType.LOAD_BALANCER)
                .serviceAnnotations(Map.of("service.beta.kubernetes.io/aws-load-balancer-type", "nlb")).build();
        var service = plan(lb, r, "").services().getFirst();
        assertThat(service.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(service.getMetadata().getAnnotations()).containsEntry("service.beta.kubernetes.io/aws-load-balancer-type", "nlb");
    }

    @Test
    void theSamePlanTwice() {
        Reservation r = reservation(4, RequestOptions.NONE, "gpu-a");
        assertThat(plan(S, r, "t")).isEqualTo(plan(S, r, "t"));
    }

    @Test
    void aReservationWithoutNodesHasNoServer() {
        Reservation queued = Reservation.queued(new ReservationId("h100-0a01"), Fixtures.ANA, "h100", 1, Duration.ofHours(1),
                RequestOptions.NONE, Fixtures.T0);
        assertThatThrownBy(() -> ServerObjects.plan(new ServerSpec(queued, ANA, List.of(Fixtures.ED25519)), S, 8, Map.of(), ""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
