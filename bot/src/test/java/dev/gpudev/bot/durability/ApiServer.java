package dev.gpudev.bot.durability;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;

import dev.gpudev.adapters.kubernetes.server.Labels;
import dev.gpudev.adapters.kubernetes.server.ServerObjects;
import dev.gpudev.scheduler.model.ReservationId;

/**
 * The mock API server as the test sees it: two Ready p5.48xlarge nodes of 8 GPUs in one placement group, the kubelet
 * and service controller the CRUD mode lacks, and the bot's objects read back for the invariants.
 */
record ApiServer(KubernetesClient client) {
    static final String NS = "gpu-dev";
    static final List<String> NODES = List.of("gpu-1", "gpu-2");
    static final int GPUS_PER_NODE = 8;

    /** Back to two empty nodes: what a previous trial left is deleted. */
    void reset() {
        client.pods().inAnyNamespace().delete();
        client.services().inAnyNamespace().delete();
        client.secrets().inAnyNamespace().delete();
        client.persistentVolumeClaims().inAnyNamespace().delete();
        client.v1().events().inAnyNamespace().delete();
        for (String name : NODES) {
            if (client.nodes().withName(name).get() == null) {
                client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                        .addToLabels("node.kubernetes.io/instance-type", "p5.48xlarge")
                        .addToLabels("gpu-dev/placement-group", "pg-1").endMetadata()
                        .withNewSpec().endSpec()
                        .withNewStatus()
                        .addToAllocatable(Map.of("nvidia.com/gpu", new Quantity(Integer.toString(GPUS_PER_NODE)),
                                "cpu", new Quantity("192"), "memory", new Quantity("2000Gi")))
                        .addNewCondition().withType("Ready").withStatus("True").endCondition()
                        .addNewAddress().withType("ExternalIP").withAddress("3.14.15.92").endAddress()
                        .endStatus().build()).create();
            }
        }
    }

    /** What the kubelet and the service controller do: every server pod runs with a pod IP, every SSH port gets a node port. */
    void runServers() {
        for (Pod p : pods()) {
            if (p.getStatus() == null || !"Running".equals(p.getStatus().getPhase())) {
                client.pods().inNamespace(NS).withName(p.getMetadata().getName()).editStatus(pod -> new PodBuilder(pod).withNewStatus()
                        .withPhase("Running").withPodIP("10.1.0.7")
                        .addNewContainerStatus().withName(ServerObjects.CONTAINER).withNewState().withNewRunning().endRunning().endState()
                        .endContainerStatus().endStatus().build());
            }
        }
        client.services().inNamespace(NS).withLabels(Labels.managed()).list().getItems().stream()
                .filter(s -> "NodePort".equals(s.getSpec().getType()))
                .filter(s -> s.getSpec().getPorts().stream().anyMatch(p -> p.getNodePort() == null))
                .forEach(s -> client.services().inNamespace(NS).withName(s.getMetadata().getName()).edit(svc -> {
                    svc.getSpec().getPorts().forEach(p -> p.setNodePort(p.getName().equals("ssh") ? 30022 : 30888));
                    return svc;
                }));
    }

    List<Pod> pods() {
        return client.pods().inNamespace(NS).withLabels(Labels.managed()).list().getItems();
    }

    /** Every object the invariants look at, read once. */
    Objects read() {
        return new Objects(client.pods().inAnyNamespace().list().getItems(),
                client.services().inNamespace(NS).withLabels(Labels.managed()).list().getItems(),
                client.secrets().inNamespace(NS).withLabels(Labels.managed()).list().getItems(),
                client.nodes().list().getItems());
    }

    record Objects(List<Pod> pods, List<Service> services, List<Secret> secrets, List<Node> nodes) {
        /** Reservations with at least one pod. */
        Set<ReservationId> servers() {
            return ids(pods.stream());
        }

        /** Reservations with any object: pod, Service or Secret. */
        Set<ReservationId> all() {
            return ids(Stream.of(pods, services, secrets).flatMap(List::stream));
        }

        long podsOf(ReservationId id) {
            return pods.stream().filter(p -> Labels.reservationOf(p).filter(id::equals).isPresent()).count();
        }

        /** GPUs the pods ask for on each node, the node read from the pod's required node affinity. */
        Map<String, Integer> gpusPerNode() {
            Map<String, Integer> used = new HashMap<>();
            for (Pod p : pods) {
                String node = p.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                        .getNodeSelectorTerms().getFirst().getMatchFields().getFirst().getValues().getFirst();
                int gpus = p.getSpec().getContainers().stream()
                        .map(c -> c.getResources().getLimits().get("nvidia.com/gpu"))
                        .mapToInt(q -> q == null ? 0 : Integer.parseInt(q.getAmount())).sum();
                used.merge(node, gpus, Integer::sum);
            }
            return used;
        }

        /** GPUs each node offers. */
        Map<String, Integer> allocatable() {
            return nodes.stream().collect(Collectors.toMap(n -> n.getMetadata().getName(),
                    n -> Integer.parseInt(n.getStatus().getAllocatable().get("nvidia.com/gpu").getAmount())));
        }
    }

    private static Set<ReservationId> ids(Stream<? extends HasMetadata> objects) {
        return objects.map(Labels::reservationOf).flatMap(Optional::stream).collect(Collectors.toSet());
    }
}
