package dev.gpudev.adapters.kubernetes;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Quantity;

import dev.gpudev.scheduler.policy.ImagePolicy;
import dev.gpudev.scheduler.policy.ImageReference;

/**
 * How development servers are built on the cluster; the bot fills it from {@code cluster.kubernetes.*}
 * (documented in docs/kubernetes.md). An empty string switches an optional feature off.
 *
 * @param namespace           where the servers, their Services and Secrets live
 * @param image               the default container image (a request may name another)
 * @param sshUser             the login user inside the server
 * @param serviceType         how SSH is exposed: a NodePort or a LoadBalancer Service
 * @param serviceAnnotations  annotations of the SSH Service (e.g. for an AWS NLB)
 * @param sshHost             DNS pattern of the SSH host, with {@code {node}} and {@code {reservation}}; empty: the
 *                            node's external address (NodePort) or the load balancer's address
 * @param shmPerGpu           size of the memory-backed {@code /dev/shm} per GPU (NCCL needs it)
 * @param cpuReserve          CPU of a node kept for the system before prorating the rest per GPU
 * @param memoryReserve       memory of a node kept for the system before prorating the rest per GPU
 * @param efsClaim            an existing PVC (EFS) mounted at {@code /shared} in every server; empty: none
 * @param homeStorageClass    StorageClass of the per-user home and named disks (infra and the chart create
 *                            {@code gpu-dev-home}: EBS gp3, WaitForFirstConsumer); empty: no persistent home, no disks
 * @param homeSize            size of a new home PVC
 * @param homeAccessMode      ReadWriteOnce (mounted on the first node of a multi-node server only) or ReadWriteMany
 * @param efa                 multi-node servers request all EFA devices ({@code vpc.amazonaws.com/efa}) of their nodes
 * @param ncclEnv             environment of multi-node servers (NCCL, libfabric)
 * @param masterPort          rendezvous port of multi-node servers ({@code MASTER_PORT})
 * @param jupyter             whether a request may ask for Jupyter
 * @param jupyterPort         the port Jupyter listens on inside the server
 * @param placementGroupLabel the node label naming the node's placement group
 * @param tolerations         taint keys the servers tolerate (the GPU taint); other NoSchedule taints make a node unusable
 * @param command             the container's command; empty: the built-in bootstrap (user, keys, sshd, Jupyter)
 * @param probeInterval       how often the SSH port is tried while a server starts
 * @param images              images a request may name besides {@code image}: named images and registry prefixes
 *                            ending in {@code /} (see {@link ImagePolicy})
 * @param network             Jupyter exposure and the per-reservation peers NetworkPolicy
 * @param storage             named disks, snapshots, quotas and the {@code /shared} folders
 */
public record KubernetesSettings(String namespace, String image, String sshUser, ServiceType serviceType,
                                 Map<String, String> serviceAnnotations, String sshHost, String shmPerGpu,
                                 String cpuReserve, String memoryReserve, String efsClaim, String homeStorageClass,
                                 String homeSize, String homeAccessMode, boolean efa, Map<String, String> ncclEnv,
                                 int masterPort, boolean jupyter, int jupyterPort, String placementGroupLabel,
                                 List<String> tolerations, List<String> command, Duration probeInterval,
                                 List<String> images, ServerNetwork network, StorageSettings storage) {
    public KubernetesSettings {
        serviceAnnotations = Map.copyOf(serviceAnnotations);
        ncclEnv = Map.copyOf(ncclEnv);
        tolerations = List.copyOf(tolerations);
        command = List.copyOf(command);
        if (!namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new IllegalArgumentException("cluster.kubernetes.namespace is not a namespace name: " + namespace);
        }
        if (image.isBlank()) {
            throw new IllegalArgumentException("cluster.kubernetes.image must name an image");
        }
        if (!sshUser.matches("[a-z_][a-z0-9_-]{0,31}")) {
            throw new IllegalArgumentException("cluster.kubernetes.ssh-user is not a Unix user name: " + sshUser);
        }
        positive("shm-per-gpu", shmPerGpu);
        positive("home-size", homeSize);
        notNegative("cpu-reserve", cpuReserve);
        notNegative("memory-reserve", memoryReserve);
        if (!List.of("ReadWriteOnce", "ReadWriteMany", "ReadWriteOncePod").contains(homeAccessMode)) {
            throw new IllegalArgumentException("cluster.kubernetes.home-access-mode must be ReadWriteOnce or ReadWriteMany");
        }
        port("master-port", masterPort);
        port("jupyter-port", jupyterPort);
        if (jupyterPort == 22) {
            throw new IllegalArgumentException("cluster.kubernetes.jupyter-port must not be the SSH port");
        }
        if (probeInterval.isNegative() || probeInterval.isZero()) {
            throw new IllegalArgumentException("cluster.kubernetes.probe-interval must be positive");
        }
        images = List.copyOf(images);
        imagePolicy(image, images);
    }

    /** The images requests may name: {@code image} and {@code images}. */
    public ImagePolicy imagePolicy() {
        return imagePolicy(image, images);
    }

    private static ImagePolicy imagePolicy(String image, List<String> images) {
        if (ImageReference.parse(image).isEmpty()) {
            throw new IllegalArgumentException("cluster.kubernetes.image is not an image reference (lower-case registry/path:tag): " + image);
        }
        try {
            return ImagePolicy.of(image, images);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cluster.kubernetes.images: " + e.getMessage(), e);
        }
    }

    public static KubernetesSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.namespace = namespace;
        b.image = image;
        b.sshUser = sshUser;
        b.serviceType = serviceType;
        b.serviceAnnotations = serviceAnnotations;
        b.sshHost = sshHost;
        b.shmPerGpu = shmPerGpu;
        b.cpuReserve = cpuReserve;
        b.memoryReserve = memoryReserve;
        b.efsClaim = efsClaim;
        b.homeStorageClass = homeStorageClass;
        b.homeSize = homeSize;
        b.homeAccessMode = homeAccessMode;
        b.efa = efa;
        b.ncclEnv = ncclEnv;
        b.masterPort = masterPort;
        b.jupyter = jupyter;
        b.jupyterPort = jupyterPort;
        b.placementGroupLabel = placementGroupLabel;
        b.tolerations = tolerations;
        b.command = command;
        b.probeInterval = probeInterval;
        b.images = images;
        b.network = network;
        b.storage = storage;
        return b;
    }

    /** Whether the per-user home volume can be mounted on every node of a multi-node server at once. */
    public boolean homeSharedAcrossNodes() {
        return homeAccessMode.equals("ReadWriteMany");
    }

    private static void positive(String key, String quantity) {
        if (amount(key, quantity).signum() <= 0) {
            throw new IllegalArgumentException("cluster.kubernetes." + key + " must be positive: " + quantity);
        }
    }

    private static void notNegative(String key, String quantity) {
        if (amount(key, quantity).signum() < 0) {
            throw new IllegalArgumentException("cluster.kubernetes." + key + " must not be negative: " + quantity);
        }
    }

    private static BigDecimal amount(String key, String quantity) {
        try {
            return Quantity.getAmountInBytes(new Quantity(quantity));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cluster.kubernetes." + key + " is not a quantity (e.g. 16Gi, 2, 500m): " + quantity);
        }
    }

    private static void port(String key, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("cluster.kubernetes." + key + " out of range: " + port);
        }
    }

    /** How the SSH port of a server is reached from outside the cluster. */
    public enum ServiceType {
        NODE_PORT("NodePort"), LOAD_BALANCER("LoadBalancer");

        private final String kubernetesName;

        ServiceType(String kubernetesName) {
            this.kubernetesName = kubernetesName;
        }

        public String kubernetesName() {
            return kubernetesName;
        }

        /** Accepts the Kubernetes spelling ({@code NodePort}) and the config spelling ({@code node-port}). */
        public static ServiceType parse(String text) {
            String t = text.replace("-", "").toLowerCase(Locale.ROOT);
            for (ServiceType s : values()) {
                if (s.kubernetesName.toLowerCase(Locale.ROOT).equals(t)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("cluster.kubernetes.service-type must be NodePort or LoadBalancer: " + text);
        }
    }

    /** Starts from the defaults; the bot sets only the keys the configuration has. */
    public static final class Builder {
        private String namespace = "gpu-dev";
        private String image = "nvcr.io/nvidia/pytorch:25.01-py3";
        private String sshUser = "dev";
        private ServiceType serviceType = ServiceType.NODE_PORT;
        private Map<String, String> serviceAnnotations = Map.of();
        private String sshHost = "";
        private String shmPerGpu = "8Gi";
        private String cpuReserve = "2";
        private String memoryReserve = "16Gi";
        private String efsClaim = "";
        private String homeStorageClass = "gpu-dev-home";
        private String homeSize = "100Gi";
        private String homeAccessMode = "ReadWriteOnce";
        private boolean efa = true;
        private Map<String, String> ncclEnv = defaultNcclEnv();
        private int masterPort = 29500;
        private boolean jupyter = true;
        private int jupyterPort = 8888;
        private String placementGroupLabel = "gpu-dev/placement-group";
        private List<String> tolerations = List.of("nvidia.com/gpu");
        private List<String> command = List.of();
        private Duration probeInterval = Duration.ofSeconds(2);
        private List<String> images = List.of();
        // network: Jupyter exposure and the peers NetworkPolicy (ServerNetwork)
        private ServerNetwork network = ServerNetwork.DEFAULTS;
        private StorageSettings storage = StorageSettings.DEFAULTS;

        private Builder() {
        }

        private static Map<String, String> defaultNcclEnv() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("FI_PROVIDER", "efa");
            env.put("FI_EFA_USE_DEVICE_RDMA", "1");
            env.put("NCCL_DEBUG", "WARN");
            env.put("NCCL_SOCKET_IFNAME", "^lo,docker");
            return env;
        }

        public Builder namespace(String v) { namespace = v; return this; }

        public Builder image(String v) { image = v; return this; }

        public Builder sshUser(String v) { sshUser = v; return this; }

        public Builder serviceType(ServiceType v) { serviceType = v; return this; }

        public Builder serviceAnnotations(Map<String, String> v) { serviceAnnotations = v; return this; }

        public Builder sshHost(String v) { sshHost = v; return this; }

        public Builder shmPerGpu(String v) { shmPerGpu = v; return this; }

        public Builder cpuReserve(String v) { cpuReserve = v; return this; }

        public Builder memoryReserve(String v) { memoryReserve = v; return this; }

        public Builder efsClaim(String v) { efsClaim = v; return this; }

        public Builder homeStorageClass(String v) { homeStorageClass = v; return this; }

        public Builder homeSize(String v) { homeSize = v; return this; }

        public Builder homeAccessMode(String v) { homeAccessMode = v; return this; }

        public Builder efa(boolean v) { efa = v; return this; }

        public Builder ncclEnv(Map<String, String> v) { ncclEnv = v; return this; }

        public Builder masterPort(int v) { masterPort = v; return this; }

        public Builder jupyter(boolean v) { jupyter = v; return this; }

        public Builder jupyterPort(int v) { jupyterPort = v; return this; }

        public Builder placementGroupLabel(String v) { placementGroupLabel = v; return this; }

        public Builder tolerations(List<String> v) { tolerations = v; return this; }

        public Builder command(List<String> v) { command = v; return this; }

        public Builder probeInterval(Duration v) { probeInterval = v; return this; }

        public Builder images(List<String> v) { images = v; return this; }
        // network (ServerNetwork)
        public Builder network(ServerNetwork v) { network = v; return this; }

        public Builder jupyterExposed(boolean v) { network = network.withJupyterExposed(v); return this; }

        public Builder peerPolicy(boolean v) { network = network.withPeerPolicy(v); return this; }

        public Builder peerPorts(String range) { network = network.withPeerPorts(range); return this; }

        public Builder storage(StorageSettings v) { storage = v; return this; }

        public KubernetesSettings build() {
            return new KubernetesSettings(namespace, image, sshUser, serviceType, serviceAnnotations, sshHost, shmPerGpu,
                    cpuReserve, memoryReserve, efsClaim, homeStorageClass, homeSize, homeAccessMode, efa, ncclEnv,
                    masterPort, jupyter, jupyterPort, placementGroupLabel, tolerations, command, probeInterval, images,
                    network, storage);
        }
    }
}
