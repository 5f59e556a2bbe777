package dev.gpudev.bot.wiring;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

import io.helidon.config.Config;

import dev.gpudev.adapters.aws.DynamoReservationStore;
import dev.gpudev.adapters.aws.DynamoSettings;
import dev.gpudev.adapters.github.GithubIdentity;
import dev.gpudev.bot.config.BotConfig;
import dev.gpudev.bot.sandbox.SandboxIdentity;
import dev.gpudev.bot.sandbox.SimulatedCluster;
import dev.gpudev.bot.runtime.ClusterRuntime;
import dev.gpudev.bot.conversation.Linking;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.policy.ImagePolicy;
import dev.gpudev.scheduler.port.Identity;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.port.ReservationStore;

/** Chooses and builds the implementation of each port from config. The only place that names adapter classes. */
public final class Wiring {
    private Wiring() {
    }

    public static ReservationStore store(Config config) {
        String kind = config.get("store.kind").asString().orElse("memory");
        return switch (kind) {
            case "memory" -> new InMemoryReservationStore();
            case "dynamodb" -> {
                Config d = config.get("store.dynamodb");
                DynamoSettings defaults = DynamoSettings.defaults();
                yield DynamoReservationStore.open(new DynamoSettings(
                        d.get("region").asString().orElse(defaults.region()),
                        d.get("endpoint").asString().orElse(defaults.endpoint()),
                        d.get("reservations-table").asString().orElse(defaults.reservationsTable()),
                        d.get("links-table").asString().orElse(defaults.linksTable()),
                        d.get("create-tables").asBoolean().orElse(defaults.createTables())));
            }
            default -> throw new IllegalArgumentException("store.kind '" + kind + "' is not known; use memory or dynamodb");
        };
    }

    /** @param timeScale how much faster than real time the sandbox clock runs */
    public static ClusterRuntime cluster(Config config, GpuCatalog catalog, Map<String, String> env, double timeScale,
                                         ScheduledExecutorService executor, PrintStream console) {
        String kind = config.get("cluster.kind").asString().orElse("simulated");
        return switch (kind) {
            case "simulated" -> {
                Duration delay = BotConfig.duration(config.get("cluster.simulated"), "ready-delay", Duration.ofSeconds(3));
                yield ClusterRuntime.of(new SimulatedCluster(BotConfig.simulatedNodes(config), Duration.ofMillis((long) (delay.toMillis() / timeScale)),
                        config.get("cluster.simulated.ssh-host-pattern").asString().orElse("{node}.sandbox.gpu-dev.local"),
                        executor, console::println, simulatedImages(config)));
            }
            case "kubernetes" -> KubernetesWiring.runtime(config, catalog, env);
            default -> throw new IllegalArgumentException("cluster.kind '" + kind + "' is not known; use simulated or kubernetes");
        };
    }

    private static ImagePolicy simulatedImages(Config config) {
        try {
            return ImagePolicy.of(config.get("cluster.simulated.image").asString().orElse("nvcr.io/nvidia/pytorch:25.01-py3"),
                    BotConfig.strings(config.get("cluster.simulated.images")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cluster.simulated.image/images: " + e.getMessage(), e);
        }
    }

    /**
     * {@code identity.kind}: {@code github} (the default outside the sandbox), or {@code sandbox} (everybody, with a
     * demo key: local development only). Outside the sandbox without GitHub configured, nobody may reserve.
     */
    public static Accounts identity(Config config, Map<String, String> env, boolean sandbox, ReservationStore store,
                                    ScheduledExecutorService scheduler) {
        String kind = config.get("identity.kind").asString().orElse(sandbox ? "sandbox" : "github");
        return switch (kind) {
            case "sandbox" -> new Accounts(new SandboxIdentity(), Linking.NONE);
            case "github" -> {
                if (!config.get("github.enabled").asBoolean().orElse(false)) {
                    yield new Accounts(new ClosedIdentity(), Linking.NONE);
                }
                GithubIdentity github = GithubWiring.identity(config, env, store, scheduler);
                yield new Accounts(github, GithubWiring.linking(github));
            }
            default -> throw new IllegalArgumentException("identity.kind '" + kind + "' is not known; use github or sandbox");
        };
    }

    /** Who may reserve and with which keys, and how chat users link their GitHub accounts. */
    public record Accounts(Identity identity, Linking linking) {
    }
}
