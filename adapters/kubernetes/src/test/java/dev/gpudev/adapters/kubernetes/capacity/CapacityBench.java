package dev.gpudev.adapters.kubernetes.capacity;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.GpuCatalog;

import static dev.gpudev.adapters.kubernetes.testing.ClusterObjects.bot;
import static dev.gpudev.adapters.kubernetes.testing.ClusterObjects.foreignPod;
import static dev.gpudev.adapters.kubernetes.testing.ClusterObjects.gpuNode;

/**
 * How long one snapshot takes: it is recomputed after every burst of node or pod changes anywhere in the cluster.
 * Not part of the suite (no *Test suffix): {@code ./mvnw -o -q test -pl adapters/kubernetes -am -Dtest=CapacityBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class CapacityBench {
    @Test
    void printsTheCostOfASnapshot() {
        System.out.printf("%8s %8s %14s%n", "nodes", "pods", "us/snapshot");
        for (int[] size : new int[][] {{16, 500}, {64, 5_000}, {256, 20_000}, {1_000, 50_000}}) {
            List<Node> nodes = new ArrayList<>();
            List<Pod> pods = new ArrayList<>();
            for (int i = 0; i < size[0]; i++) {
                nodes.add(gpuNode("gpu-" + i, "p5.48xlarge", 8).build());
            }
            for (int i = 0; i < size[1]; i++) {
                Pod p = foreignPod("ns" + i % 50, "p" + i, i % 3 == 0 ? "cpu-" + i % 100 : "gpu-" + i % size[0], i % 4, "Running").build();
                pods.add(i % 10 == 0 ? bot(p, "h100-" + String.format("%04x", i & 0xffff)) : p);
            }
            GpuCatalog catalog = GpuCatalog.defaults();
            List<String> tolerated = List.of("nvidia.com/gpu");
            for (int i = 0; i < Math.max(20, 2_000_000 / size[1]); i++) {
                Capacity.snapshot(nodes, pods, catalog, "gpu-dev/placement-group", tolerated);
            }
            int runs = 50;
            long start = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                Capacity.snapshot(nodes, pods, catalog, "gpu-dev/placement-group", tolerated);
            }
            System.out.printf("%8d %8d %14.0f%n", size[0], size[1], (System.nanoTime() - start) / 1e3 / runs);
        }
    }
}
