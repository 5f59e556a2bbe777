package dev.gpudev.deploy;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import dev.gpudev.adapters.kubernetes.KubernetesCluster;
import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.adapters.kubernetes.server.Labels;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.port.ClusterListener;
import dev.gpudev.scheduler.port.ServerSpec;
import dev.gpudev.scheduler.port.Volumes;
import dev.gpudev.scheduler.testing.Fixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every request the Kubernetes adapter makes through a server's life (start, provision of a 2x8 server, a server
 * that fails while starting and its log, reconcile, release) is one the chart's RBAC grants: the requests are
 * recorded on the fabric8 mock API server and turned into RBAC verbs the way the API server does.
 */
@EnableKubernetesMockClient(crud = true)
class AdapterRequestsTest {
    static KubernetesClient client;
    static KubernetesMockServer server;
    static final String SETUP = "X-Test-Setup";
    static final Pattern PATH = Pattern.compile(
            "^/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/([^/]+))?/([^/?]+)(?:/([^/?]+))?(?:/([^/?]+))?(?:\\?(.*))?$");

    /** What the test does in the kubelet's and the scheduler's place; its requests are not the adapter's. */
    static KubernetesClient setup() {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withCustomHeaders(Map.of(SETUP, "1")).build()).build();
    }

    @Test
    void theChartGrantsEveryRequestTheAdapterMakes() {
        KubernetesClient setup = setup();
        KubernetesSettings settings = KubernetesSettings.builder().namespace(Chart.SERVERS).probeInterval(Duration.ofMillis(20)).build();
        for (String name : List.of("gpu-a", "gpu-b")) {
            setup.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                    .addToLabels("node.kubernetes.io/instance-type", "p5.48xlarge").endMetadata()
                    .withNewStatus().addToAllocatable(Map.of("nvidia.com/gpu", new Quantity("8"))).addToCapacity(Map.of("nvidia.com/gpu", new Quantity("8")))
                    .addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .addNewAddress().withType("ExternalIP").withAddress("3.14.15.9").endAddress().endStatus().build()).create();
        }
        List<String> failed = new CopyOnWriteArrayList<>(); // the adapter reports on its own thread
        Reservation multi = reservation("h100-0a01", 16, "gpu-a", "gpu-b");
        Reservation single = reservation("h100-0a02", 1, "gpu-a");
        String log = "/api/v1/namespaces/" + Chart.SERVERS + "/pods/" + Labels.podName(single.id(), 0) + "/log?pretty=false&container=dev&tailLines=15";
        server.expect().get().withPath(log).andReturn(200, "OSError: out of space\n").always();
        try (var cluster = new KubernetesCluster(client, settings, GpuCatalog.defaults(), (host, port) -> true)) {
            cluster.listen(listener(failed));
            cluster.start();
            await().atMost(Duration.ofSeconds(10)).until(cluster::synced);
            cluster.reconcile(List.of());
            cluster.provision(spec(multi));
            cluster.provision(spec(single));
            setup.pods().inNamespace(Chart.SERVERS).withName(Labels.podName(single.id(), 0))
                    .editStatus(p -> new PodBuilder(p).withNewStatus().withPhase("Failed").endStatus().build());
            await().atMost(Duration.ofSeconds(10)).until(() -> !failed.isEmpty());
            cluster.release(single);
            // the home is Bound to a volume (its zone is read) and a named disk is used through its whole life
            var home = setup.persistentVolumeClaims().inNamespace(Chart.SERVERS).withName("gpu-dev-home-ana").get();
            setup.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName("pv-ana").endMetadata()
                    .withNewSpec().withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
                    .withKey("topology.kubernetes.io/zone").withOperator("In").withValues("us-east-2a").endMatchExpression()
                    .endNodeSelectorTerm().endRequired().endNodeAffinity().endSpec().build()).create();
            setup.persistentVolumeClaims().inNamespace(Chart.SERVERS).withName("gpu-dev-home-ana").delete();
            home.getMetadata().setResourceVersion(null);
            home.getSpec().setVolumeName("pv-ana");
            setup.resource(home).create();
            Volumes volumes = cluster.volumes();
            DiskName data = new DiskName("data");
            volumes.create(Fixtures.login("ana"), data, 10);
            Reservation disked = reservation("h100-0a03", 1, "gpu-a");
            cluster.provision(new ServerSpec(disked, Fixtures.login("ana"), List.of(Fixtures.ED25519), data));
            cluster.release(disked);
            String taken = volumes.snapshot(Fixtures.login("ana"), data).id();
            volumes.restore(Fixtures.login("ana"), data, taken);
            volumes.disks(Fixtures.login("ana"));
            volumes.delete(Fixtures.login("ana"), data);
            cluster.reconcile(List.of(multi.active(new ServerAccess("h", 22, "dev", null), Fixtures.T0)));
            cluster.release(multi);
        }
        setup.close();
        assertThat(failed).singleElement().asString().contains("OSError: out of space");

        Set<String> requests = requests();
        Rendered chart = Chart.render();
        assertThat(requests).contains("get /pods/log in " + Chart.SERVERS, "create networking.k8s.io/networkpolicies in " + Chart.SERVERS,
                "deletecollection networking.k8s.io/networkpolicies in " + Chart.SERVERS, "watch /pods cluster-wide",
                "create snapshot.storage.k8s.io/volumesnapshots in " + Chart.SERVERS,
                "list snapshot.storage.k8s.io/volumesnapshots in " + Chart.SERVERS,
                "delete /persistentvolumeclaims in " + Chart.SERVERS, "get /persistentvolumes cluster-wide");
        assertThat(requests).allSatisfy(r -> assertThat(granted(chart, r)).as("granted: " + r).isTrue());
    }

    @Test
    void theRbacCheckRefusesWhatTheChartDoesNotGrant() {
        Rendered chart = Chart.render(Map.of("rbac.manageNetworkPolicies", false, "rbac.readPodsClusterWide", false));

        assertThat(granted(chart, "create networking.k8s.io/networkpolicies in " + Chart.SERVERS)).isFalse();
        assertThat(granted(chart, "watch /pods cluster-wide")).isFalse();
        assertThat(granted(chart, "delete /secrets in gpu-dev")).isFalse();
        assertThat(granted(chart, "get /pods/log in " + Chart.SERVERS)).isTrue();
        Rendered noDisks = Chart.render(Map.of("servers.disks.enabled", false));
        assertThat(granted(noDisks, "create snapshot.storage.k8s.io/volumesnapshots in " + Chart.SERVERS)).isFalse();
        assertThat(granted(noDisks, "get /persistentvolumes cluster-wide")).isFalse();
        assertThat(granted(chart, "update /persistentvolumeclaims in " + Chart.SERVERS)).isFalse();
        assertThat(granted(chart, "patch snapshot.storage.k8s.io/volumesnapshots in " + Chart.SERVERS)).isFalse();
    }

    /** "verb group/resource[/sub] in namespace" or "... cluster-wide", from the recorded requests. */
    static Set<String> requests() {
        Set<String> seen = new LinkedHashSet<>();
        int n = server.getRequestCount();
        for (int i = 0; i < n; i++) {
            try {
                var r = server.takeRequest();
                if (r.getHeader(SETUP) != null) {
                    continue;
                }
                Matcher m = PATH.matcher(r.getPath());
                assertThat(m.matches()).as("a resource path: " + r.getPath()).isTrue();
                String group = m.group(1) == null ? "" : m.group(1);
                String resource = m.group(3) + (m.group(5) != null ? "/" + m.group(5) : "");
                boolean named = m.group(4) != null;
                String query = m.group(6) == null ? "" : m.group(6);
                String verb = switch (r.getMethod()) {
                    case "GET" -> named ? "get" : query.contains("watch=true") ? "watch" : "list";
                    case "POST" -> "create";
                    case "PUT" -> "update";
                    case "PATCH" -> "patch";
                    case "DELETE" -> named ? "delete" : "deletecollection";
                    default -> throw new AssertionError(r.getMethod());
                };
                seen.add(verb + " " + group + "/" + resource + (m.group(2) == null ? " cluster-wide" : " in " + m.group(2)));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return seen;
    }

    static boolean granted(Rendered chart, String request) {
        String[] p = request.split(" ");
        String verb = p[0];
        String group = p[1].substring(0, p[1].indexOf('/'));
        String resource = p[1].substring(p[1].indexOf('/') + 1);
        String namespace = p[2].equals("in") ? p[3] : null;
        Stream<PolicyRule> rules = chart.all(ClusterRole.class).stream().flatMap(r -> r.getRules().stream());
        if (namespace != null) {
            rules = Stream.concat(rules, chart.all(Role.class).stream()
                    .filter(r -> r.getMetadata().getNamespace().equals(namespace)).flatMap(r -> r.getRules().stream()));
        }
        return rules.anyMatch(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource) && r.getVerbs().contains(verb)
                && r.getResourceNames().isEmpty());
    }

    static Reservation reservation(String id, int gpus, String... nodes) {
        return Reservation.queued(new ReservationId(id), Fixtures.ANA, "h100", gpus, Duration.ofHours(2), RequestOptions.NONE, Fixtures.T0)
                .provisioning(Stream.of(nodes).map(NodeName::new).toList(), Fixtures.T0);
    }

    static ServerSpec spec(Reservation r) {
        return new ServerSpec(r, Fixtures.login("ana"), List.of(Fixtures.ED25519));
    }

    static ClusterListener listener(List<String> failed) {
        return new ClusterListener() {
            @Override
            public void nodesChanged(ClusterSnapshot snapshot) {
            }

            @Override
            public void serverProgress(ReservationId id, String text) {
            }

            @Override
            public void serverReady(ReservationId id, ServerAccess access) {
            }

            @Override
            public void serverFailed(ReservationId id, String why) {
                failed.add(why);
            }

            @Override
            public void serverVanished(ReservationId id, String why) {
            }
        };
    }
}
