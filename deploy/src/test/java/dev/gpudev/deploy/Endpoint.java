package dev.gpudev.deploy;

import java.util.Map;
import java.util.Optional;

/**
 * One end of a connection: a pod (namespace, labels, IP) or an address outside the cluster.
 *
 * @param namespaceLabels labels of the pod's namespace; empty for an outside address
 */
record Endpoint(String ip, Optional<String> namespace, Map<String, String> namespaceLabels, Map<String, String> labels) {
    Endpoint {
        namespaceLabels = Map.copyOf(namespaceLabels);
        labels = Map.copyOf(labels);
    }

    static Endpoint pod(String namespace, String ip, Map<String, String> labels) {
        return new Endpoint(ip, Optional.of(namespace), Map.of("kubernetes.io/metadata.name", namespace), labels);
    }

    static Endpoint outside(String ip) {
        return new Endpoint(ip, Optional.empty(), Map.of(), Map.of());
    }

    static Endpoint server(String ip, String reservation, String owner) {
        return pod(Chart.SERVERS, ip, Map.of("gpu-dev/reservation", reservation, "gpu-dev/owner", owner));
    }
}
