package dev.gpudev.adapters.kubernetes.testing;

import java.util.Map;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

/** Nodes and pods as a real cluster shows them, for the capacity and mock-server tests. */
public final class ClusterObjects {
    private ClusterObjects() {
    }

    /** A Ready node of an instance type with GPUs, 192 CPUs, 2000 GiB and 32 EFA devices allocatable. */
    public static NodeBuilder gpuNode(String name, String instanceType, int gpus) {
        return new NodeBuilder()
                .withNewMetadata().withName(name)
                .addToLabels("node.kubernetes.io/instance-type", instanceType)
                .addToLabels("topology.kubernetes.io/zone", "us-east-2a")
                .endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus()
                .addToAllocatable("nvidia.com/gpu", new Quantity(Integer.toString(gpus)))
                .addToAllocatable("cpu", new Quantity("192"))
                .addToAllocatable("memory", new Quantity("2000Gi"))
                .addToAllocatable("vpc.amazonaws.com/efa", new Quantity("32"))
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewAddress().withType("InternalIP").withAddress("10.0.1.5").endAddress()
                .addNewAddress().withType("ExternalIP").withAddress("3.14.15.92").endAddress()
                .endStatus();
    }

    /** A pod of someone else using {@code gpus} GPUs on a node. */
    public static PodBuilder foreignPod(String namespace, String name, String node, int gpus, String phase) {
        return new PodBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withNodeName(node)
                .addNewContainer().withName("train").withImage("trainer:1")
                .withNewResources().addToLimits("nvidia.com/gpu", new Quantity(Integer.toString(gpus))).endResources()
                .endContainer()
                .endSpec()
                .withNewStatus().withPhase(phase).endStatus();
    }

    public static Node withLabels(Node n, Map<String, String> labels) {
        return new NodeBuilder(n).editMetadata().addToLabels(labels).endMetadata().build();
    }

    public static Pod bot(Pod p, String reservation) {
        return new PodBuilder(p).editMetadata().addToLabels("app.kubernetes.io/managed-by", "gpu-dev-bot")
                .addToLabels("gpu-dev/reservation", reservation).endMetadata().build();
    }
}
