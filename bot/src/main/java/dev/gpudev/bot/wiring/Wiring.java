package dev.gpudev.bot.wiring;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.helidon.config.Config;

import dev.gpudev.adapters.aws.DynamoReservationStore;
import dev.gpudev.adapters.aws.DynamoSettings;
import dev.gpudev.adapters.github.GithubIdentity;
import dev.gpudev.adapters.telemetry.Telemetries;
import dev.gpudev.adapters.telemetry.TelemetrySettings;
import dev.gpudev.bot.config.BotConfig;
import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.bot.config.BotSettings;
import dev.gpudev.bot.config.IdleSettings;
import dev.gpudev.bot.config.SimulatedSettings;
import dev.gpudev.bot.sandbox.SandboxIdentity;
import dev.gpudev.bot.sandbox.SandboxClock;
import dev.gpudev.bot.sandbox.SimulatedCluster;
import dev.gpudev.bot.runtime.ClusterRuntime;
import dev.gpudev.bot.conversation.Linking;
import dev.gpudev.bot.conversation.Survival;
import dev.gpudev.scheduler.policy.ImagePolicy;
import dev.gpudev.scheduler.port.GpuTelemetry;
import dev.gpudev.scheduler.port.Identity;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.port.InMemoryVolumes;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.service.IdleChecks;
import dev.gpudev.scheduler.port.VolumeQuota;

/**
 * Chooses and builds the implementation of each port from its settings. The only place that names adapter classes; the
 * adapters' own settings records hold their defaults, and a key given in the config replaces one.
 */
public final class Wiring {
    private static final System.Logger LOG = System.getLogger(Wiring.class.getName());

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

    /**
     * {@code telemetry.source}: the sandbox's simulation, the Prometheus or exporter readers ({@code telemetry.*}, checked
     * here, so a wrong key refuses the start), or none (nothing is ever idle).
     */
    public static GpuTelemetry telemetry(IdleSettings idle, Config telemetry, Optional<SimulatedGpus> simulated, Clock clock) {
        return switch (idle.source()) {
            case SIMULATED -> simulated.orElseThrow();
            case NONE -> GpuTelemetry.OFF;
            case PROMETHEUS, EXPORTERS -> {
                TelemetrySettings readers = telemetrySettings(idle.source(), telemetry);
                yield Telemetries.of(readers, HttpClient.newBuilder().connectTimeout(readers.timeout()).build(), clock);
            }
        };
    }

    /** The readers' settings from {@code telemetry.*}; {@code TelemetrySettings} names the key that is wrong. */
    public static TelemetrySettings telemetrySettings(IdleSettings.Source source, Config tel) {
        return new TelemetrySettings(
                switch (source) {
                    case PROMETHEUS -> TelemetrySettings.Source.PROMETHEUS;
                    case EXPORTERS -> TelemetrySettings.Source.EXPORTERS;
                    case SIMULATED, NONE -> TelemetrySettings.Source.OFF;
                },
                URI.create(tel.get("prometheus-url").asString().filter(s -> !s.isBlank()).orElse("http://prometheus:9090")),
                BotConfig.strings(tel.get("exporters")).stream().map(URI::create).toList(),
                tel.get("namespace").asString().get(), tel.get("step").as(Duration.class).get(), tel.get("timeout").as(Duration.class).get());
    }

    /**
     * The idle poll, on the leader: every {@code idle.poll} of the bot's time (in the simulation at least every
     * {@code maxTick} of real time, so an {@code :advance} is seen at once). A failed poll is logged; the next one runs.
     */
    public static void pollIdle(IdleChecks idle, IdleSettings settings, double timeScale, Duration maxTick, ScheduledExecutorService executor) {
        idle.load();
        long every = Math.max(1, (long) (settings.poll().toMillis() / timeScale));
        if (settings.source() == IdleSettings.Source.SIMULATED) {
            every = Math.min(every, maxTick.toMillis());
        }
        executor.scheduleWithFixedDelay(() -> {
            try {
                idle.check();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "the idle poll failed, the next one tries again: " + e.getMessage(), e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
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
        SimulatedCluster cluster = new SimulatedCluster(s.nodes(), Duration.ofMillis((long) (s.readyDelay().toMillis() / timeScale)),
                s.sshHostPattern(), executor, console::println, images, new InMemoryVolumes(clock, VolumeQuota.DEFAULTS, SANDBOX_HOME_GIB));
        if (clock instanceof SandboxClock sandbox) {
            sandbox.beforeAdvance(cluster::startNow); // a server starts in seconds: `:advance 30m` must not find it still starting
        }
        return cluster;
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
