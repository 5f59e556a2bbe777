package dev.gpudev.adapters.kubernetes.server;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Service;
import org.jspecify.annotations.Nullable;

import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ServerAccess;

/**
 * How the owner reaches a server, from its SSH Service and first node: the node of rank 0, the only node whose node
 * port answers under {@code externalTrafficPolicy: Local}. Jupyter is on localhost through {@code ssh -L} unless it
 * is exposed. Pure.
 */
public final class Access {
    private Access() {
    }

    /** Empty while the address is not known yet (no node port or load-balancer address assigned). */
    public static Optional<ServerAccess> of(KubernetesSettings s, Reservation r, Service service, @Nullable Node node,
                                            String jupyterToken) {
        boolean nodePort = s.serviceType() == KubernetesSettings.ServiceType.NODE_PORT;
        Optional<String> host = !s.sshHost().isEmpty()
                ? Optional.of(s.sshHost().replace("{node}", r.nodes().getFirst().value()).replace("{reservation}", r.id().value()))
                : nodePort ? nodeAddress(node) : loadBalancerAddress(service);
        Optional<Integer> ssh = port(service, "ssh", nodePort);
        if (host.isEmpty() || ssh.isEmpty()) {
            return Optional.empty();
        }
        String jupyterUrl = jupyterToken.isEmpty() ? null
                : !s.network().jupyterExposed() ? "http://localhost:" + s.jupyterPort() + "/lab?token=" + jupyterToken
                : port(service, "jupyter", nodePort).map(p -> "http://" + host.get() + ":" + p + "/lab?token=" + jupyterToken).orElse(null);
        return Optional.of(new ServerAccess(host.get(), ssh.get(), s.sshUser(), jupyterUrl));
    }

    /** ExternalIP, then ExternalDNS, then InternalIP (reachable over a VPN or from inside the VPC). */
    static Optional<String> nodeAddress(@Nullable Node node) {
        if (node == null || node.getStatus() == null || node.getStatus().getAddresses() == null) {
            return Optional.empty();
        }
        List<NodeAddress> addresses = node.getStatus().getAddresses();
        for (String type : List.of("ExternalIP", "ExternalDNS", "InternalIP")) {
            Optional<String> a = addresses.stream().filter(x -> type.equals(x.getType()) && x.getAddress() != null)
                    .map(NodeAddress::getAddress).findFirst();
            if (a.isPresent()) {
                return a;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> loadBalancerAddress(Service service) {
        if (service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null) {
            return Optional.empty();
        }
        return service.getStatus().getLoadBalancer().getIngress().stream()
                .map(i -> i.getHostname() != null ? i.getHostname() : i.getIp())
                .filter(a -> a != null && !a.isBlank()).findFirst();
    }

    private static Optional<Integer> port(Service service, String name, boolean nodePort) {
        if (service.getSpec() == null || service.getSpec().getPorts() == null) {
            return Optional.empty();
        }
        return service.getSpec().getPorts().stream().filter(p -> name.equals(p.getName()))
                .map(p -> nodePort ? p.getNodePort() : p.getPort())
                .filter(p -> p != null && p > 0).findFirst();
    }
}
