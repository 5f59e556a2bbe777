package dev.gpudev.bot.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeInfo;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.policy.Limits;

/** Config to domain values. Every key has a default in the embedded {@code application.yaml}. */
public final class BotConfig {
    public static final String FILE_ENV = "GPU_DEV_CONFIG";
    public static final long DEFAULT_MAX_PAYLOAD = 512 * 1024;

    private BotConfig() {
    }

    /** Environment, system properties, the file named by {@code GPU_DEV_CONFIG}, then the embedded defaults. */
    public static Config load() {
        var builder = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.environmentVariables())
                .addSource(ConfigSources.systemProperties());
        Optional.ofNullable(System.getenv(FILE_ENV)).map(Path::of).filter(Files::isReadable)
                .ifPresent(p -> builder.addSource(ConfigSources.file(p)));
        return builder.addSource(ConfigSources.classpath("application.yaml")).build();
    }

    /**
     * {@code server.max-payload-size} in bytes: a larger request body gets 413 on every route before it is read
     * (a declared Content-Length at once, a chunked body when it grows past the cap).
     */
    public static long maxPayloadSize(Config config) {
        long max = config.get("server.max-payload-size").asLong().orElse(DEFAULT_MAX_PAYLOAD);
        if (max <= 0) {
            throw new IllegalArgumentException("server.max-payload-size must be a positive number of bytes, not " + max
                    + "; Slack's requests are a few KiB, the default " + DEFAULT_MAX_PAYLOAD + " is plenty");
        }
        return max;
    }

    public static GpuCatalog catalog(Config config) {
        List<GpuType> types = new ArrayList<>();
        for (Config t : config.get("catalog.types").asNodeList().orElse(List.of())) {
            types.add(new GpuType(
                    t.get("name").asString().get(),
                    new HashSet<>(t.get("aliases").asList(String.class).orElse(List.of())),
                    t.get("gpus-per-node").asInt().orElse(8),
                    t.get("instance-type").asString().orElse(""),
                    t.get("node-selector").detach().asMap().orElse(Map.of()),
                    t.get("multi-node").asBoolean().orElse(false)));
        }
        return types.isEmpty() ? GpuCatalog.defaults() : new GpuCatalog(types);
    }

    public static Limits limits(Config config) {
        Config l = config.get("limits");
        Limits d = Limits.defaults();
        return new Limits(
                duration(l, "min-duration", d.minDuration()),
                duration(l, "max-duration", d.maxDuration()),
                duration(l, "max-extension", d.maxExtension()),
                duration(l, "max-total", d.maxTotal()),
                duration(l, "queue-timeout", d.queueTimeout()),
                l.get("reminders").asList(Duration.class).orElse(d.reminders()),
                l.get("max-gpus-per-user").asInt().orElse(d.maxGpusPerUser()),
                l.get("max-nodes-per-request").asInt().orElse(d.maxNodesPerRequest()),
                l.get("fair-share").asBoolean().orElse(d.fairShare()),
                duration(l, "provision-timeout", d.provisionTimeout()));
    }

    public static List<NodeInfo> simulatedNodes(Config config) {
        List<NodeInfo> nodes = new ArrayList<>();
        for (Config n : config.get("cluster.simulated.nodes").asNodeList().orElse(List.of())) {
            nodes.add(new NodeInfo(new NodeName(n.get("name").asString().get()), n.get("type").asString().get(),
                    n.get("gpus").asInt().orElse(8), 0, true, n.get("placement-group").asString().orElse(null), null));
        }
        return nodes;
    }

    public static Duration duration(Config node, String key, Duration fallback) {
        return node.get(key).as(Duration.class).orElse(fallback);
    }

    /** A list, or one comma-separated value (handy in an environment variable: {@code SLACK_ADMINS=U1,U2}). */
    public static List<String> strings(Config node) {
        List<String> raw = node.asString().map(v -> List.of(v.split(","))).orElseGet(() -> node.asList(String.class).orElse(List.of()));
        return raw.stream().map(String::strip).filter(s -> !s.isBlank()).toList();
    }
}
