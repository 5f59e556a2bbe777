package dev.gpudev.deploy;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

/**
 * Kubernetes NetworkPolicy semantics, enough to ask "may this pod open that connection?". An ipBlock is taken to
 * match pod addresses too: CNIs differ there, so a flow this model blocks is blocked under either reading.
 */
record NetworkModel(List<NetworkPolicy> policies) {
    NetworkModel {
        policies = List.copyOf(policies);
    }

    boolean connects(Endpoint from, Endpoint to, String protocol, int port) {
        return egressAllowed(from, to, protocol, port) && ingressAllowed(from, to, protocol, port);
    }

    boolean egressAllowed(Endpoint from, Endpoint to, String protocol, int port) {
        List<NetworkPolicy> isolating = selecting(from, "Egress");
        return isolating.isEmpty() || isolating.stream()
                .flatMap(p -> p.getSpec().getEgress().stream().map(rule -> new Rule(p, rule.getTo(), rule.getPorts())))
                .anyMatch(rule -> rule.allows(to, protocol, port));
    }

    boolean ingressAllowed(Endpoint from, Endpoint to, String protocol, int port) {
        List<NetworkPolicy> isolating = selecting(to, "Ingress");
        return isolating.isEmpty() || isolating.stream()
                .flatMap(p -> p.getSpec().getIngress().stream().map(rule -> new Rule(p, rule.getFrom(), rule.getPorts())))
                .anyMatch(rule -> rule.allows(from, protocol, port));
    }

    private List<NetworkPolicy> selecting(Endpoint pod, String type) {
        if (pod.namespace().isEmpty()) {
            return List.of();
        }
        return policies.stream()
                .filter(p -> p.getMetadata().getNamespace().equals(pod.namespace().get()))
                .filter(p -> p.getSpec().getPolicyTypes().contains(type))
                .filter(p -> matches(p.getSpec().getPodSelector(), pod.labels()))
                .toList();
    }

    private record Rule(NetworkPolicy policy, List<NetworkPolicyPeer> peers, List<NetworkPolicyPort> ports) {
        boolean allows(Endpoint peer, String protocol, int port) {
            boolean portOk = ports.isEmpty() || ports.stream().anyMatch(p -> portMatches(p, protocol, port));
            boolean peerOk = peers.isEmpty() || peers.stream().anyMatch(p -> peerMatches(p, peer));
            return portOk && peerOk;
        }

        private boolean peerMatches(NetworkPolicyPeer peer, Endpoint endpoint) {
            if (peer.getIpBlock() != null) {
                return inBlock(peer.getIpBlock(), endpoint.ip());
            }
            if (endpoint.namespace().isEmpty()) {
                return false;
            }
            boolean namespaceOk = peer.getNamespaceSelector() == null
                    ? endpoint.namespace().get().equals(policy.getMetadata().getNamespace())
                    : matches(peer.getNamespaceSelector(), endpoint.namespaceLabels());
            return namespaceOk && (peer.getPodSelector() == null || matches(peer.getPodSelector(), endpoint.labels()));
        }
    }

    private static boolean portMatches(NetworkPolicyPort p, String protocol, int port) {
        String wanted = p.getProtocol() == null ? "TCP" : p.getProtocol();
        if (!wanted.equals(protocol)) {
            return false;
        }
        if (p.getPort() == null) {
            return true;
        }
        if (p.getPort().getIntVal() == null) {
            throw new AssertionError("named ports are not modelled: " + p.getPort().getStrVal());
        }
        int first = p.getPort().getIntVal();
        int last = p.getEndPort() == null ? first : p.getEndPort();
        return port >= first && port <= last;
    }

    static boolean inBlock(IPBlock block, String ip) {
        return Cidr.of(block.getCidr()).contains(ip) && block.getExcept().stream().noneMatch(e -> Cidr.of(e).contains(ip));
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        boolean labelsOk = selector.getMatchLabels() == null
                || selector.getMatchLabels().entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        return labelsOk && selector.getMatchExpressions().stream().allMatch(r -> matches(r, labels));
    }

    private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        String value = labels.get(r.getKey());
        return switch (r.getOperator()) {
            case "In" -> value != null && r.getValues().contains(value);
            case "NotIn" -> value == null || !r.getValues().contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> throw new AssertionError("unknown selector operator " + r.getOperator());
        };
    }

    /** An IPv4 range. */
    record Cidr(long base, int prefix) {
        static Cidr of(String text) {
            String[] parts = text.split("/");
            int prefix = Integer.parseInt(parts[1]);
            return new Cidr(address(parts[0]) & mask(prefix), prefix);
        }

        boolean contains(String ip) {
            return (address(ip) & mask(prefix)) == base;
        }

        private static long mask(int prefix) {
            return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        }

        private static long address(String ip) {
            long a = 0;
            for (String octet : ip.split("\\.")) {
                a = (a << 8) | Integer.parseInt(octet);
            }
            return a;
        }
    }
}
