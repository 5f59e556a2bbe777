package dev.gpudev.adapters.kubernetes.capacity;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.NodeInfo;
import dev.gpudev.scheduler.model.NodeName;

import static dev.gpudev.adapters.kubernetes.testing.ClusterObjects.bot;
import static dev.gpudev.adapters.kubernetes.testing.ClusterObjects.foreignPod;
import static dev.gpudev.adapters.kubernetes.testing.ClusterObjects.gpuNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class CapacityTest {
    static final GpuCatalog CATALOG = GpuCatalog.defaults();
    static final List<String> TOLERATED = List.of("nvidia.com/gpu");

    static ClusterSnapshot snapshot(List<Node> nodes, List<Pod> pods) {
        return Capacity.snapshot(nodes, pods, CATALOG, "gpu-dev/placement-group", TOLERATED);
    }

    static List<Arguments> nodeStates() {
        return List.of(
                arguments(Named.of("ready", (UnaryOperator<NodeBuilder>) b -> b), true),
                arguments(Named.of("not ready", (UnaryOperator<NodeBuilder>) b -> b.editStatus().editFirstCondition().withStatus("False").endCondition().endStatus()), false),
                arguments(Named.of("ready unknown", (UnaryOperator<NodeBuilder>) b -> b.editStatus().editFirstCondition().withStatus("Unknown").endCondition().endStatus()), false),
                arguments(Named.of("cordoned", (UnaryOperator<NodeBuilder>) b -> b.editSpec().withUnschedulable(true).endSpec()), false),
                arguments(Named.of("GPU taint (tolerated)", (UnaryOperator<NodeBuilder>) b -> b.editSpec().addNewTaint().withKey("nvidia.com/gpu").withValue("true").withEffect("NoSchedule").endTaint().endSpec()), true),
                arguments(Named.of("foreign NoSchedule taint", (UnaryOperator<NodeBuilder>) b -> b.editSpec().addNewTaint().withKey("team").withValue("research").withEffect("NoSchedule").endTaint().endSpec()), false),
                arguments(Named.of("NoExecute taint", (UnaryOperator<NodeBuilder>) b -> b.editSpec().addNewTaint().withKey("node.kubernetes.io/unreachable").withEffect("NoExecute").endTaint().endSpec()), false),
                arguments(Named.of("PreferNoSchedule taint", (UnaryOperator<NodeBuilder>) b -> b.editSpec().addNewTaint().withKey("team").withEffect("PreferNoSchedule").endTaint().endSpec()), true));
    }

    @ParameterizedTest
    @MethodSource("nodeStates")
    void schedulableOnlyWhenReadyUncordonedAndUntainted(UnaryOperator<NodeBuilder> state, boolean schedulable) {
        Node node = state.apply(gpuNode("gpu-a", "p5.48xlarge", 8)).build();
        assertThat(snapshot(List.of(node), List.of()).nodes()).singleElement()
                .satisfies(n -> assertThat(n.schedulable()).isEqualTo(schedulable));
    }

    static List<Arguments> podsOnANode() {
        return List.of(
                arguments(Named.of("no pods", List.of()), 0),
                arguments(Named.of("a running foreign pod", List.of(foreignPod("ml", "a", "gpu-a", 3, "Running").build())), 3),
                arguments(Named.of("pending but bound", List.of(foreignPod("ml", "a", "gpu-a", 2, "Pending").build())), 2),
                arguments(Named.of("finished pods hold nothing", List.of(foreignPod("ml", "a", "gpu-a", 2, "Succeeded").build(),
                        foreignPod("ml", "b", "gpu-a", 2, "Failed").build())), 0),
                arguments(Named.of("pods on another node", List.of(foreignPod("ml", "a", "gpu-b", 4, "Running").build())), 0),
                arguments(Named.of("this bot's servers are not counted", List.of(bot(foreignPod("gpu-dev", "s", "gpu-a", 4, "Running").build(), "h100-0a01"),
                        foreignPod("ml", "a", "gpu-a", 1, "Running").build())), 1),
                arguments(Named.of("requests without limits and CPU-only pods", List.of(
                        new PodBuilder(foreignPod("ml", "a", "gpu-a", 0, "Running").build()).editSpec().editFirstContainer()
                                .withNewResources().addToRequests("nvidia.com/gpu", new Quantity("2")).endResources().endContainer().endSpec().build(),
                        new PodBuilder(foreignPod("kube-system", "dcgm", "gpu-a", 0, "Running").build()).editSpec().editFirstContainer()
                                .withNewResources().addToRequests("cpu", new Quantity("1")).endResources().endContainer().endSpec().build())), 2),
                arguments(Named.of("an init container larger than the containers", List.of(
                        new PodBuilder(foreignPod("ml", "a", "gpu-a", 1, "Running").build()).editSpec().addNewInitContainer().withName("warm")
                                .withNewResources().addToLimits("nvidia.com/gpu", new Quantity("4")).endResources().endInitContainer().endSpec().build())), 4),
                arguments(Named.of("more than the node has", List.of(foreignPod("ml", "a", "gpu-a", 6, "Running").build(),
                        foreignPod("ml", "b", "gpu-a", 6, "Running").build())), 8));
    }

    @ParameterizedTest
    @MethodSource("podsOnANode")
    void countsTheGpusOfOtherPodsOnTheNode(List<Pod> pods, int usedByOthers) {
        assertThat(snapshot(List.of(gpuNode("gpu-a", "p5.48xlarge", 8).build()), pods).nodes()).singleElement()
                .satisfies(n -> {
                    assertThat(n.capacity()).isEqualTo(8);
                    assertThat(n.usedByOthers()).isEqualTo(usedByOthers);
                });
    }

    @Test
    void typeZoneAndPlacementGroupComeFromTheLabels() {
        Node h100 = new NodeBuilder(gpuNode("gpu-b", "p5.48xlarge", 8).build()).editMetadata()
                .addToLabels("gpu-dev/placement-group", "pg-1").endMetadata().build();
        Node l4 = gpuNode("gpu-a", "g6.12xlarge", 4).build();
        Node cpu = gpuNode("cpu-1", "m7i.4xlarge", 0).build();
        ClusterSnapshot snap = snapshot(List.of(h100, l4, cpu), List.of());
        assertThat(snap.nodes()).containsExactly(
                new NodeInfo(new NodeName("gpu-a"), "l4", 4, 0, true, null, "us-east-2a"),
                new NodeInfo(new NodeName("gpu-b"), "h100", 8, 0, true, "pg-1", "us-east-2a"));
    }

    @Test
    void aNodeWithoutReportedGpusOffersNone() {
        Node starting = new NodeBuilder(gpuNode("gpu-a", "p5.48xlarge", 8).build()).editStatus()
                .withAllocatable(Map.of("cpu", new Quantity("192"))).endStatus().build();
        assertThat(snapshot(List.of(starting), List.of()).nodes()).singleElement().satisfies(n -> assertThat(n.capacity()).isZero());
    }
}
