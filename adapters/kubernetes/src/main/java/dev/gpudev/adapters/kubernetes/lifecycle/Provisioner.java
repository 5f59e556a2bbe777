package dev.gpudev.adapters.kubernetes.lifecycle;

import java.lang.System.Logger.Level;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.adapters.kubernetes.server.Jupyter;
import dev.gpudev.adapters.kubernetes.server.Labels;
import dev.gpudev.adapters.kubernetes.server.Mounts;
import dev.gpudev.adapters.kubernetes.server.NodeResources;
import dev.gpudev.adapters.kubernetes.server.ServerObjects;
import dev.gpudev.adapters.kubernetes.server.ServerPlan;
import dev.gpudev.adapters.kubernetes.storage.KubernetesVolumes;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.ServerSpec;

/**
 * Creates a server's objects, each only if it does not exist yet, so that a retry after a crash reuses what the
 * first attempt made; and deletes them again. Never updates: a half-made server is completed, not rebuilt.
 */
public final class Provisioner {
    private static final System.Logger LOG = System.getLogger(Provisioner.class.getName());

    private final KubernetesClient client;
    private final KubernetesSettings settings;
    private final KubernetesVolumes volumes;

    public Provisioner(KubernetesClient client, KubernetesSettings settings, KubernetesVolumes volumes) {
        this.client = client;
        this.settings = settings;
        this.volumes = volumes;
    }

    /**
     * Creates what is missing, the disks' claims first; returns the Jupyter token in use (empty without Jupyter).
     *
     * @param zones the availability zone of a node ("" when unknown): the disks follow the server's first node
     */
    public String provision(ServerSpec spec, int gpusPerNode, Function<NodeName, NodeResources> nodes,
                            Function<NodeName, String> zones) {
        ReservationId id = spec.reservation().id();
        Secret existing = client.secrets().inNamespace(settings.namespace()).withName(Labels.serverName(id)).get();
        String token = existing != null ? ServerObjects.jupyterToken(existing)
                : spec.reservation().options().jupyter() && settings.jupyter() ? Jupyter.newToken() : "";
        Map<NodeName, NodeResources> resources = new HashMap<>();
        spec.reservation().nodes().forEach(n -> resources.put(n, nodes.apply(n)));
        Mounts mounts = volumes.prepare(id, spec.ownerLogin(), spec.disk(), zones.apply(spec.reservation().nodes().getFirst()));
        ServerPlan plan = ServerObjects.plan(spec, settings, gpusPerNode, resources, token, mounts);
        createIfAbsent(plan.secret());
        if (plan.peers() != null) {
            createIfAbsent(plan.peers());
        }
        plan.services().forEach(this::createIfAbsent);
        plan.pods().forEach(this::createIfAbsent);
        return token;
    }

    /**
     * Snapshots the disks the server mounts, then deletes its Pods, Services, Secret and peers NetworkPolicy (never a
     * disk). Nothing there is fine; a release repeated after a crash takes no second snapshot.
     */
    public void release(ReservationId id) {
        try {
            volumes.ended(id);
        } catch (KubernetesClientException e) {
            // the data stays on the disks; a missing snapshot must not keep a server (and its GPUs) alive
            LOG.log(Level.WARNING, "no end-of-reservation snapshot for " + id + ": " + e.getMessage());
        }
        Map<String, String> selector = Labels.of(id);
        String ns = settings.namespace();
        client.pods().inNamespace(ns).withLabels(selector).delete();
        client.services().inNamespace(ns).withLabels(selector).delete();
        client.secrets().inNamespace(ns).withLabels(selector).delete();
        if (settings.network().peerPolicy()) {
            client.network().v1().networkPolicies().inNamespace(ns).withLabels(selector).delete();
        }
    }

    private void createIfAbsent(HasMetadata desired) {
        var resource = client.resource(desired).inNamespace(settings.namespace());
        if (resource.get() != null) {
            return;
        }
        try {
            resource.create();
        } catch (KubernetesClientException e) {
            // Another replica or an earlier attempt won the race: what exists is what we wanted.
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
    }
}
