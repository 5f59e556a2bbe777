package dev.gpudev.adapters.kubernetes.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;

import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.scheduler.model.Reservation;

/**
 * The NetworkPolicy {@code gpu-dev-peers-<id>} of a multi-node reservation: its pods may open TCP connections to each
 * other on SSH, the rendezvous port and the ephemeral range (NCCL bootstrap and socket transport, Gloo, MPI), in and
 * out; nobody else gains anything. The chart's policies deny everything else (docs/deploy.md). Pure.
 */
public final class PeerPolicy {
    private PeerPolicy() {
    }

    public static NetworkPolicy of(Reservation r, KubernetesSettings s, Map<String, String> labels) {
        LabelSelector self = new LabelSelectorBuilder().withMatchLabels(new LinkedHashMap<>(Labels.of(r.id()))).build();
        NetworkPolicyPeer peers = new NetworkPolicyPeerBuilder().withPodSelector(self).build();
        List<NetworkPolicyPort> ports = ports(s);
        return new NetworkPolicyBuilder()
                .withNewMetadata().withName(Labels.peersName(r.id())).withNamespace(s.namespace())
                .withLabels(new LinkedHashMap<>(labels)).addToAnnotations(Labels.OWNER_CHAT, r.owner().value()).endMetadata()
                .withNewSpec()
                .withPodSelector(self)
                .withPolicyTypes("Ingress", "Egress")
                .addNewIngress().withFrom(peers).withPorts(ports).endIngress()
                .addNewEgress().withTo(peers).withPorts(ports).endEgress()
                .endSpec()
                .build();
    }

    private static List<NetworkPolicyPort> ports(KubernetesSettings s) {
        List<NetworkPolicyPort> ports = new ArrayList<>();
        ports.add(port(ServerObjects.SSH_PORT, null));
        ports.add(port(s.masterPort(), null));
        ports.add(port(s.network().peerPortsFirst(), s.network().peerPortsLast()));
        return ports;
    }

    private static NetworkPolicyPort port(int port, Integer last) {
        return new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(port))
                .withEndPort(last != null && last > port ? last : null).build();
    }
}
