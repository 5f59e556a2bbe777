package dev.gpudev.adapters.kubernetes.server;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.SshPublicKey;
import dev.gpudev.scheduler.port.ServerSpec;

/** Builds a server's desired objects. Pure: the same inputs give equal objects, which is what makes retries safe. */
public final class ServerObjects {
    public static final String CONTAINER = "dev";
    public static final int SSH_PORT = 22;
    public static final String KEYS = "authorized_keys";
    public static final String JUPYTER_TOKEN = "jupyter-token";
    /** Where a named disk is mounted: {@code /disks/<name>}. */
    public static final String DISKS = "/disks/";
    private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024);

    private ServerObjects() {
    }

    /**
     * @param gpusPerNode  GPUs on one node of the reservation's type
     * @param nodes        what each node of the reservation offers (missing nodes get no CPU/memory requests)
     * @param jupyterToken the token of a Jupyter server; empty when Jupyter was not asked for
     */
    public static ServerPlan plan(ServerSpec spec, KubernetesSettings s, int gpusPerNode, Map<NodeName, NodeResources> nodes,
                                  String jupyterToken) {
        return plan(spec, s, gpusPerNode, nodes, jupyterToken, s.homeStorageClass().isEmpty() ? Mounts.NONE
                : new Mounts(Labels.homeClaimName(spec.ownerLogin()), null, null));
    }

    /** @param mounts the claims of the home and the named disk, made ready by {@code KubernetesVolumes.prepare} */
    public static ServerPlan plan(ServerSpec spec, KubernetesSettings s, int gpusPerNode, Map<NodeName, NodeResources> nodes,
                                  String jupyterToken, Mounts mounts) {
        Reservation r = spec.reservation();
        if (r.nodes().isEmpty()) {
            throw new IllegalArgumentException("reservation " + r.id() + " has no nodes to run on");
        }
        Map<String, String> labels = Labels.server(r, spec.ownerLogin());
        boolean jupyter = !jupyterToken.isEmpty();
        List<Pod> pods = new ArrayList<>();
        for (int rank = 0; rank < r.nodes().size(); rank++) {
            NodeName node = r.nodes().get(rank);
            pods.add(pod(spec, s, gpusPerNode, node, nodes.getOrDefault(node, NodeResources.UNKNOWN), rank, labels, jupyter,
                    mounts));
        }
        List<Service> services = new ArrayList<>();
        services.add(sshService(r, s, labels, jupyter));
        if (r.nodes().size() > 1) {
            services.add(headless(r, s, labels));
        }
        NetworkPolicy peers = r.nodes().size() > 1 && s.network().peerPolicy() ? PeerPolicy.of(r, s, labels) : null;
        return new ServerPlan(secret(spec, s, labels, jupyterToken), pods, services, peers);
    }

    /** Every key of the owner and the collaborators, one per line, in the order given. */
    public static String authorizedKeys(List<SshPublicKey> keys) {
        return keys.stream().map(SshPublicKey::line).distinct().collect(Collectors.joining("\n", "", "\n"));
    }

    /** The Jupyter token a server's Secret holds, as written or as read back from the API server; empty if none. */
    public static String jupyterToken(Secret secret) {
        if (secret.getData() != null && secret.getData().get(JUPYTER_TOKEN) != null) {
            return new String(Base64.getDecoder().decode(secret.getData().get(JUPYTER_TOKEN)), StandardCharsets.UTF_8);
        }
        if (secret.getStringData() != null && secret.getStringData().get(JUPYTER_TOKEN) != null) {
            return secret.getStringData().get(JUPYTER_TOKEN);
        }
        return "";
    }

    static Secret secret(ServerSpec spec, KubernetesSettings s, Map<String, String> labels, String jupyterToken) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(KEYS, authorizedKeys(spec.authorizedKeys()));
        if (!jupyterToken.isEmpty()) {
            data.put(JUPYTER_TOKEN, jupyterToken);
        }
        return new SecretBuilder()
                .withMetadata(meta(Labels.serverName(spec.reservation().id()), s, labels, spec.reservation()))
                .withType("Opaque")
                .withStringData(data)
                .build();
    }

    static Pod pod(ServerSpec spec, KubernetesSettings s, int gpusPerNode, NodeName node, NodeResources res, int rank,
                   Map<String, String> serverLabels, boolean jupyter, Mounts disks) {
        Reservation r = spec.reservation();
        int gpus = r.gpusPerNode();
        boolean multi = r.nodes().size() > 1;
        Map<String, String> labels = new LinkedHashMap<>(serverLabels);
        labels.put(Labels.RANK, Integer.toString(rank));

        Map<String, Quantity> requests = new TreeMap<>();
        Map<String, Quantity> limits = new TreeMap<>();
        requests.put("nvidia.com/gpu", new Quantity(Integer.toString(gpus)));
        limits.put("nvidia.com/gpu", new Quantity(Integer.toString(gpus)));
        BigDecimal share = BigDecimal.valueOf(gpus).divide(BigDecimal.valueOf(gpusPerNode), 6, RoundingMode.DOWN);
        BigDecimal cpu = prorate(res.cpu(), amount(s.cpuReserve()), share).movePointRight(3).setScale(0, RoundingMode.DOWN);
        BigDecimal memory = prorate(res.memory(), amount(s.memoryReserve()), share).divide(MIB, 0, RoundingMode.DOWN);
        if (cpu.signum() > 0) {
            requests.put("cpu", new Quantity(cpu.toPlainString() + "m"));
        }
        if (memory.signum() > 0) {
            requests.put("memory", new Quantity(memory.toPlainString() + "Mi"));
        }
        if (multi && s.efa() && res.efa() > 0) {
            requests.put(NodeResources.EFA, new Quantity(Integer.toString(res.efa())));
            limits.put(NodeResources.EFA, new Quantity(Integer.toString(res.efa())));
        }

        List<EnvVar> env = new ArrayList<>();
        env.add(env("GPU_DEV_USER", s.sshUser()));
        env.add(env("GPU_DEV_RESERVATION", r.id().value()));
        env.add(env("GPU_DEV_OWNER", spec.ownerLogin().value()));
        env.add(env("HF_HOME", "/workspace/.cache/huggingface"));
        env.add(env("XDG_CACHE_HOME", "/workspace/.cache"));
        if (multi) {
            env.add(env("MASTER_ADDR", Labels.podName(r.id(), 0) + "." + Labels.headlessName(r.id()) + "." + s.namespace() + ".svc"));
            env.add(env("MASTER_PORT", Integer.toString(s.masterPort())));
            env.add(env("NNODES", Integer.toString(r.nodes().size())));
            env.add(env("NPROC_PER_NODE", Integer.toString(gpus)));
            env.add(env("WORLD_SIZE", Integer.toString(r.gpus())));
            env.add(env("NODE_RANK", Integer.toString(rank)));
            new TreeMap<>(s.ncclEnv()).forEach((k, v) -> env.add(env(k, v)));
        }
        // Always: the bootstrap starts Jupyter whenever the Secret gets a token, also on a server reserved without it.
        env.add(env("JUPYTER_PORT", Integer.toString(s.jupyterPort())));
        env.add(env("JUPYTER_IP", s.network().jupyterExposed() ? "0.0.0.0" : "127.0.0.1"));
        if (jupyter && !s.command().isEmpty()) {
            // a custom command's own contract; the bootstrap reads the token from its file, which follows the Secret
            env.add(new EnvVarBuilder().withName("JUPYTER_TOKEN").withNewValueFrom().withNewSecretKeyRef()
                    .withName(Labels.serverName(r.id())).withKey(JUPYTER_TOKEN).endSecretKeyRef().endValueFrom().build());
        }

        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName("shm").withNewEmptyDir().withMedium("Memory")
                .withSizeLimit(times(s.shmPerGpu(), gpus)).endEmptyDir().build());
        mounts.add(mount("shm", "/dev/shm", false));
        volumes.add(new VolumeBuilder().withName("workspace").withNewEmptyDir().endEmptyDir().build());
        mounts.add(mount("workspace", "/workspace", false));
        volumes.add(new VolumeBuilder().withName("ssh-keys").withNewSecret().withSecretName(Labels.serverName(r.id()))
                .addNewItem().withKey(KEYS).withPath(KEYS).endItem().withDefaultMode(0400).endSecret().build());
        mounts.add(mount("ssh-keys", Bootstrap.KEYS_DIR, true));
        // optional: a Secret without a token (Jupyter off) gives an empty directory instead of a pod that cannot start
        volumes.add(new VolumeBuilder().withName("jupyter").withNewSecret().withSecretName(Labels.serverName(r.id()))
                .addNewItem().withKey(JUPYTER_TOKEN).withPath(JUPYTER_TOKEN).endItem().withDefaultMode(0400).withOptional(true)
                .endSecret().build());
        mounts.add(mount("jupyter", Bootstrap.JUPYTER_DIR, true));
        if (!s.efsClaim().isEmpty()) {
            volumes.add(new VolumeBuilder().withName("shared").withNewPersistentVolumeClaim().withClaimName(s.efsClaim())
                    .endPersistentVolumeClaim().build());
            mounts.add(mount("shared", "/shared", false));
            // subPath mounts: the kubelet creates the folder on first use (no privilege in the pod) and refuses a
            // subPath that is a symlink leading out of the volume
            if (s.storage().userFolders()) {
                String login = spec.ownerLogin().value().toLowerCase(Locale.ROOT);
                mounts.add(subPath("shared", "/shared/users/" + login, "users/" + login));
            }
            if (!s.storage().teamFolder().isEmpty()) {
                mounts.add(subPath("shared", "/shared/team", "teams/" + s.storage().teamFolder()));
            }
        }
        boolean thisNode = rank == 0 || s.homeSharedAcrossNodes();
        if (disks.home() != null && thisNode) {
            volumes.add(new VolumeBuilder().withName("home").withNewPersistentVolumeClaim()
                    .withClaimName(disks.home()).endPersistentVolumeClaim().build());
            mounts.add(mount("home", "/home/" + s.sshUser(), false));
        }
        if (disks.disk() != null && disks.diskName() != null && thisNode) {
            volumes.add(new VolumeBuilder().withName("disk").withNewPersistentVolumeClaim()
                    .withClaimName(disks.disk()).endPersistentVolumeClaim().build());
            mounts.add(mount("disk", DISKS + disks.diskName().value(), false));
        }

        Container container = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(r.options().image() != null ? r.options().image() : s.image())
                .withCommand(s.command().isEmpty() ? List.of("/bin/bash", "-c", Bootstrap.SCRIPT) : s.command())
                .withEnv(env)
                .addNewPort().withName("ssh").withContainerPort(SSH_PORT).withProtocol("TCP").endPort()
                .addAllToPorts(s.network().jupyterExposed() ? List.of(new ContainerPortBuilder().withName("jupyter")
                        .withContainerPort(s.jupyterPort()).withProtocol("TCP").build()) : List.of())
                .withNewResources().withRequests(requests).withLimits(limits).endResources()
                .withVolumeMounts(mounts)
                .withSecurityContext(ServerSecurity.container())
                .build();

        List<Toleration> tolerations = s.tolerations().stream()
                .map(k -> new TolerationBuilder().withKey(k).withOperator("Exists").build()).toList();
        ObjectMeta podMeta = meta(Labels.podName(r.id(), rank), s, labels, r);
        if (s.command().isEmpty()) {
            podMeta.getAnnotations().put(Jupyter.SWITCHABLE, "true");
        }
        PodBuilder pod = new PodBuilder()
                .withMetadata(podMeta)
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(ServerSecurity.pod())
                .withEnableServiceLinks(false)
                .withRestartPolicy("Always")
                .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchField().withKey("metadata.name").withOperator("In").withValues(node.value())
                .endMatchField().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity()
                .withTolerations(tolerations)
                .withContainers(container)
                .withVolumes(volumes)
                .endSpec();
        if (multi) {
            pod.editSpec().withHostname(Labels.podName(r.id(), rank)).withSubdomain(Labels.headlessName(r.id())).endSpec();
        }
        return pod.build();
    }

    /**
     * SSH (and an exposed Jupyter) from outside the cluster. {@code externalTrafficPolicy: Local} keeps the client's
     * address, so the servers' NetworkPolicy can restrict who connects; the node port then answers only on the pod's
     * node, which is the host {@link Access} names.
     */
    static Service sshService(Reservation r, KubernetesSettings s, Map<String, String> labels, boolean jupyter) {
        List<ServicePort> ports = new ArrayList<>();
        ports.add(new ServicePortBuilder().withName("ssh").withPort(SSH_PORT).withNewTargetPort(SSH_PORT).withProtocol("TCP").build());
        if (jupyter && s.network().jupyterExposed()) {
            ports.add(jupyterPort(s));
        }
        Map<String, String> selector = new LinkedHashMap<>(Labels.of(r.id()));
        selector.put(Labels.RANK, "0");
        ObjectMeta meta = meta(Labels.serverName(r.id()), s, labels, r);
        meta.setAnnotations(new TreeMap<>(s.serviceAnnotations()));
        return new ServiceBuilder()
                .withMetadata(meta)
                .withNewSpec().withType(s.serviceType().kubernetesName()).withExternalTrafficPolicy("Local")
                .withSelector(selector).withPorts(ports).endSpec()
                .build();
    }

    /** The Service's port of an exposed Jupyter. */
    static ServicePort jupyterPort(KubernetesSettings s) {
        return new ServicePortBuilder().withName("jupyter").withPort(s.jupyterPort()).withNewTargetPort(s.jupyterPort())
                .withProtocol("TCP").build();
    }

    static Service headless(Reservation r, KubernetesSettings s, Map<String, String> labels) {
        return new ServiceBuilder()
                .withMetadata(meta(Labels.headlessName(r.id()), s, labels, r))
                .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true).withSelector(Labels.of(r.id()))
                .addNewPort().withName("rendezvous").withPort(s.masterPort()).withNewTargetPort(s.masterPort()).endPort()
                .endSpec()
                .build();
    }

    private static ObjectMeta meta(String name, KubernetesSettings s, Map<String, String> labels, Reservation r) {
        return new ObjectMetaBuilder().withName(name).withNamespace(s.namespace()).withLabels(new LinkedHashMap<>(labels))
                .addToAnnotations(Labels.OWNER_CHAT, r.owner().value())
                .build();
    }

    private static BigDecimal prorate(BigDecimal allocatable, BigDecimal reserve, BigDecimal share) {
        return allocatable.subtract(reserve).max(BigDecimal.ZERO).multiply(share);
    }

    private static BigDecimal amount(String quantity) {
        return Quantity.getAmountInBytes(new Quantity(quantity));
    }

    private static Quantity times(String quantity, int n) {
        BigDecimal bytes = amount(quantity).multiply(BigDecimal.valueOf(n));
        return new Quantity(bytes.divide(MIB, 0, RoundingMode.UP).toPlainString() + "Mi");
    }

    private static EnvVar env(String name, String value) {
        return new EnvVar(name, value, null);
    }

    private static VolumeMount subPath(String name, String path, String subPath) {
        return new VolumeMountBuilder().withName(name).withMountPath(path).withSubPath(subPath).withReadOnly(false).build();
    }

    private static VolumeMount mount(String name, String path, boolean readOnly) {
        return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly).build();
    }
}
