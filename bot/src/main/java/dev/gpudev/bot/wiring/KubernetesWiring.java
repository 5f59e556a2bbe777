package dev.gpudev.bot.wiring;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.helidon.config.Config;

import dev.gpudev.adapters.kubernetes.KubernetesCluster;
import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.adapters.kubernetes.StorageSettings;
import dev.gpudev.adapters.kubernetes.leader.LeaderElection;
import dev.gpudev.adapters.kubernetes.leader.LeaderLabel;
import dev.gpudev.adapters.kubernetes.lifecycle.SshProbe;
import dev.gpudev.bot.config.BotConfig;
import dev.gpudev.bot.config.LeaderSettings;
import dev.gpudev.bot.runtime.ClusterRuntime;
import dev.gpudev.bot.runtime.Leadership;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.port.VolumeQuota;

/**
 * {@code cluster.kubernetes.*} (each key given replaces one of {@link KubernetesSettings#defaults()}) and
 * {@code leader-election.*} to the fabric8 adapter.
 */
final class KubernetesWiring {
    private static final System.Logger LOG = System.getLogger(KubernetesWiring.class.getName());

    private KubernetesWiring() {
    }

    static KubernetesSettings settings(Config k) {
        KubernetesSettings d = KubernetesSettings.defaults();
        var b = d.toBuilder();
        k.get("namespace").asString().ifPresent(b::namespace);
        k.get("image").asString().ifPresent(b::image);
        k.get("ssh-user").asString().ifPresent(b::sshUser);
        k.get("service-type").asString().map(KubernetesSettings.ServiceType::parse).ifPresent(b::serviceType);
        k.get("service-annotations").detach().asMap().ifPresent(b::serviceAnnotations);
        k.get("ssh-host").asString().ifPresent(b::sshHost);
        k.get("shm-per-gpu").asString().ifPresent(b::shmPerGpu);
        k.get("cpu-reserve").asString().ifPresent(b::cpuReserve);
        k.get("memory-reserve").asString().ifPresent(b::memoryReserve);
        k.get("efs-claim").asString().ifPresent(b::efsClaim);
        k.get("home-storage-class").asString().ifPresent(b::homeStorageClass);
        k.get("home-size").asString().ifPresent(b::homeSize);
        k.get("home-access-mode").asString().ifPresent(b::homeAccessMode);
        k.get("efa").asBoolean().ifPresent(b::efa);
        k.get("nccl-env").detach().asMap().ifPresent(b::ncclEnv);
        k.get("master-port").asInt().ifPresent(b::masterPort);
        k.get("jupyter").asBoolean().ifPresent(b::jupyter);
        k.get("jupyter-port").asInt().ifPresent(b::jupyterPort);
        k.get("placement-group-label").asString().ifPresent(b::placementGroupLabel);
        if (k.get("tolerations").exists()) {
            b.tolerations(BotConfig.strings(k.get("tolerations")));
        }
        if (k.get("command").exists()) {
            b.command(BotConfig.strings(k.get("command")));
        }
        k.get("probe-interval").as(Duration.class).ifPresent(b::probeInterval);
        if (k.get("images").exists()) {
            b.images(BotConfig.strings(k.get("images")));
        }
        // network (ServerNetwork)
        k.get("jupyter-exposed").asBoolean().ifPresent(b::jupyterExposed);
        k.get("peer-policy").asBoolean().ifPresent(b::peerPolicy);
        k.get("peer-ports").asString().ifPresent(b::peerPorts);
        b.storage(storage(k.get("storage"), d.storage()));
        return b.build();
    }

    /** {@code cluster.kubernetes.storage.*}: named disks, snapshots, quotas, /shared folders (docs/storage.md). */
    static StorageSettings storage(Config st, StorageSettings d) {
        VolumeQuota q = d.quota();
        return new StorageSettings(st.get("snapshot-class").asString().orElse(d.snapshotClass()),
                new VolumeQuota(st.get("max-disks").asInt().orElse(q.maxDisks()),
                        st.get("max-total-gib").asLong().orElse(q.maxTotalGib()),
                        st.get("max-disk-gib").asLong().orElse(q.maxDiskGib()),
                        st.get("keep-snapshots").asInt().orElse(q.keepSnapshots()),
                        st.get("max-manual-snapshots").asInt().orElse(q.maxManualSnapshots())),
                st.get("user-folders").asBoolean().orElse(d.userFolders()),
                st.get("team-folder").asString().orElse(d.teamFolder()));
    }

    static ClusterRuntime runtime(Config kubernetes, LeaderSettings election, GpuCatalog catalog, Map<String, String> env) {
        KubernetesClient client = new KubernetesClientBuilder().build();
        KubernetesSettings settings = settings(kubernetes);
        KubernetesCluster cluster = new KubernetesCluster(client, settings, catalog, SshProbe.tcp(Duration.ofSeconds(2)));
        cluster.start();
        // Always on: the old and new pod of a rollout overlap even with one replica (docs/storage.md, "Fencing").
        if (election.enabled().equals(Optional.of(false))) {
            LOG.log(System.Logger.Level.WARNING, "leader-election.enabled: false is ignored with cluster.kind kubernetes:"
                    + " the old and new pod of a rollout must not both schedule");
        }
        Leadership leadership;
        try {
            leadership = marked(leadership(client, election, env, settings.namespace()), client, env);
        } catch (RuntimeException e) {
            cluster.close();
            client.close();
            throw e;
        }
        return new ClusterRuntime(cluster, cluster::synced, cluster::reconcile, leadership, () -> {
            cluster.close();
            client.close();
        });
    }

    /**
     * The leader labels its pod once it has started leading, so the chart's Service sends Slack's requests only to it.
     * The label is cleared here, before this replica can be Ready: a container restarted after losing the lease (it
     * halts) keeps its pod and the pod's labels. Outside a pod (no POD_NAME) nothing is labelled.
     */
    private static Leadership marked(Leadership elected, KubernetesClient client, Map<String, String> env) {
        String pod = env.getOrDefault("POD_NAME", "");
        String namespace = env.getOrDefault("POD_NAMESPACE", "");
        if (pod.isBlank() || namespace.isBlank()) {
            LOG.log(System.Logger.Level.WARNING, "POD_NAME or POD_NAMESPACE is not set: the leader does not label its pod, "
                    + "so a Service selecting " + LeaderLabel.KEY + "=" + LeaderLabel.LEADER + " has no endpoint");
            return elected;
        }
        LeaderLabel label = new LeaderLabel(client, namespace, pod);
        label.clear();
        return new Leadership() {
            @Override
            public void start(Runnable onLead, Runnable onLose) {
                elected.start(() -> {
                    onLead.run();
                    Thread.ofVirtual().name("leader-label").start(() -> label.markWhile(elected::leading, Duration.ofMillis(500)));
                }, onLose);
            }

            @Override
            public boolean leading() {
                return elected.leading();
            }

            @Override
            public void close() {
                elected.close();
            }
        };
    }

    private static Leadership leadership(KubernetesClient client, LeaderSettings le, Map<String, String> env, String serversNamespace) {
        String namespace = le.namespace().orElse(env.getOrDefault("POD_NAMESPACE", serversNamespace));
        String identity = env.getOrDefault("POD_NAME", env.getOrDefault("HOSTNAME", "gpu-dev-bot-" + ProcessHandle.current().pid()));
        String lease = le.leaseName();
        Duration duration = le.leaseDuration();
        AtomicBoolean leading = new AtomicBoolean();
        return new Leadership() {
            private LeaderElection election;

            @Override
            public synchronized void start(Runnable onLead, Runnable onLose) {
                election = new LeaderElection(client, namespace, lease, identity, duration,
                        () -> {
                            leading.set(true);
                            onLead.run();
                        },
                        () -> {
                            boolean was = leading.getAndSet(false);
                            if (was) {
                                onLose.run();
                            }
                        });
                election.start();
            }

            @Override
            public boolean leading() {
                return leading.get();
            }

            @Override
            public synchronized void close() {
                // Stopping is not losing: onLose halts the JVM, which would cut Bot.close (and the tests) short.
                leading.set(false);
                if (election != null) {
                    election.close();
                }
            }
        };
    }
}
