package dev.gpudev.adapters.kubernetes.server;

import java.util.List;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.jspecify.annotations.Nullable;

/**
 * Every object of one server as it should be.
 *
 * @param pods     one per node, rank 0 first
 * @param services the SSH (and Jupyter) Service, then the headless rendezvous Service of a multi-node server
 * @param peers    the NetworkPolicy that lets the pods of a multi-node server reach each other; null on one node or
 *                 when {@code peer-policy} is off
 */
public record ServerPlan(Secret secret, List<Pod> pods, List<Service> services, @Nullable NetworkPolicy peers) {
    public ServerPlan {
        pods = List.copyOf(pods);
        services = List.copyOf(services);
        if (pods.isEmpty() || services.isEmpty()) {
            throw new IllegalArgumentException("a server has at least one pod and its SSH service");
        }
    }
}
