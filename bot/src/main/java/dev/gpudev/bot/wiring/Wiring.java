package dev.gpudev.bot.wiring;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

import io.helidon.config.Config;

import dev.gpudev.adapters.aws.DynamoReservationStore;
import dev.gpudev.adapters.aws.DynamoSettings;
import dev.gpudev.adapters.github.GithubIdentity;
import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.bot.config.BotSettings;
import dev.gpudev.bot.config.SimulatedSettings;
import dev.gpudev.bot.sandbox.SandboxIdentity;
import dev.gpudev.bot.sandbox.SimulatedCluster;
import dev.gpudev.bot.runtime.ClusterRuntime;
import dev.gpudev.bot.conversation.Linking;
import dev.gpudev.bot.conversation.Survival;
import dev.gpudev.scheduler.policy.ImagePolicy;
import dev.gpudev.scheduler.port.Identity;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.port.InMemoryVolumes;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.port.VolumeQuota;

/**
 * Chooses and builds the implementation of each port from its settings. The only place that names adapter classes; the
 * adapters' own settings records hold their defaults, and a key given in the config replaces one.
 */
public final class Wiring {
    /** The size of a simulated home, as {@code cluster.kubernetes.home-size} defaults. */
    private static final long SANDBOX_HOME_GIB = 100;
    private Wiring() {
    }

    /** {@code store.kind}; DynamoDB's keys ({@code store.dynamodb.*}) default to {@link DynamoSettings#defaults()}. */
    public static ReservationStore store(String kind, Config dynamodb) {
        return switch (kind) {
            case "memory" -> new InMemoryReservationStore();
            case "dynamodb" -> DynamoReservationStore.open(dynamo(dynamodb));
            default -> throw new IllegalArgumentException("store.kind '" + kind + "' is not known; use memory or dynamodb");
        };
    }

    static DynamoSettings dynamo(Config d) {
        DynamoSettings defaults = DynamoSettings.defaults();
        return new DynamoSettings(
                d.get("region").asString().orElse(defaults.region()),
                d.get("endpoint").asString().orElse(defaults.endpoint()),
                d.get("reservations-table").asString().orElse(defaults.reservationsTable()),
                d.get("links-table").asString().orElse(defaults.linksTable()),
                d.get("create-tables").asBoolean().orElse(defaults.createTables()));
    }

    /**
     * {@code cluster.kind}: the simulated cluster of {@code cluster.simulated}, or Kubernetes ({@code cluster.kubernetes.*},
     * defaults in the adapter's settings) with leader election.
     *
     * @param timeScale how much faster than real time the sandbox clock runs
     */
    public static ClusterRuntime cluster(BotSettings settings, Config kubernetes, Map<String, String> env, double timeScale,
                                         ScheduledExecutorService executor, PrintStream console, Clock clock) {
        String kind = settings.cluster().kind();
        return switch (kind) {
            case "simulated" -> ClusterRuntime.of(simulated(settings.simulated(), timeScale, executor, console, clock));
            case "kubernetes" -> KubernetesWiring.runtime(kubernetes, settings.leaderElection(), settings.catalog(), env);
            default -> throw new IllegalArgumentException("cluster.kind '" + kind + "' is not known; use simulated or kubernetes");
        };
    }

    private static SimulatedCluster simulated(SimulatedSettings s, double timeScale, ScheduledExecutorService executor, PrintStream console,
                                              Clock clock) {
        ImagePolicy images;
        try {
            images = ImagePolicy.of(s.image(), s.images());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cluster.simulated.image/images: " + e.getMessage(), e);
        }
        return new SimulatedCluster(s.nodes(), Duration.ofMillis((long) (s.readyDelay().toMillis() / timeScale)), s.sshHostPattern(),
                executor, console::println, images, new InMemoryVolumes(clock, VolumeQuota.DEFAULTS, SANDBOX_HOME_GIB));
    }

    /**
     * What outlives a server on the configured cluster: the simulated one keeps a home (and {@code --disk}); on
     * Kubernetes the home with {@code home-storage-class} set, {@code /shared} with {@code efs-claim} set.
     */
    public static Survival survival(BotSettings settings, Config kubernetes) {
        if (!"kubernetes".equals(settings.cluster().kind())) {
            return Survival.DEFAULTS;
        }
        KubernetesSettings k = KubernetesWiring.settings(kubernetes);
        return new Survival(k.homeStorageClass().isEmpty() ? null : "/home/" + k.sshUser(),
                k.efsClaim().isEmpty() ? List.of() : List.of("/shared"));
    }

    /**
     * {@code identity.kind}: {@code github} (the default outside the sandbox), or {@code sandbox} (everybody, with a
     * demo key: local development only). Outside the sandbox without GitHub configured, nobody may reserve.
     */
    public static Accounts identity(Config config, Map<String, String> env, boolean sandbox, ReservationStore store,
                                    ScheduledExecutorService scheduler) {
        String kind = config.get("identity.kind").asString().get();
        return switch ("auto".equals(kind) ? (sandbox ? "sandbox" : "github") : kind) {
            case "sandbox" -> new Accounts(new SandboxIdentity(), Linking.NONE);
            case "github" -> {
                if (!config.get("github.enabled").asBoolean().get()) {
                    yield new Accounts(new ClosedIdentity(), Linking.NONE);
                }
                GithubIdentity github = GithubWiring.identity(config, env, store, scheduler);
                yield new Accounts(github, GithubWiring.linking(github));
            }
            default -> throw new IllegalArgumentException("identity.kind '" + kind + "' is not known; use auto, github or sandbox");
        };
    }

    /** Who may reserve and with which keys, and how chat users link their GitHub accounts. */
    public record Accounts(Identity identity, Linking linking) {
    }
}
