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
import dev.gpudev.scheduler.policy.BookingLimits;
import dev.gpudev.scheduler.policy.Limits;

/**
 * Loads the configuration, and reads the subtrees whose defaults live with the domain: {@code catalog} (default
 * {@link GpuCatalog#defaults()}) and {@code limits} (default {@link Limits#defaults()}), which name only what they
 * change. Every other key has its one default in the embedded {@code application.yaml}.
 */
public final class BotConfig {
    public static final String FILE_ENV = "GPU_DEV_CONFIG";
    public static final String EMBEDDED = "application.yaml";

    private BotConfig() {
    }

    /** Environment, system properties, the file named by {@code GPU_DEV_CONFIG}, then the embedded defaults. */
    public static Config load() {
        var builder = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.environmentVariables())
                .addSource(ConfigSources.systemProperties());
        Optional.ofNullable(System.getenv(FILE_ENV)).map(Path::of).filter(Files::isReadable)
                .ifPresent(p -> builder.addSource(ConfigSources.file(p)));
        return builder.addSource(ConfigSources.classpath(EMBEDDED)).build();
    }

    /** The embedded defaults alone: what a test that builds a part by hand starts from. */
    public static Config embedded() {
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.classpath(EMBEDDED)).build();
    }

    /** {@code catalog.types}, replacing the default catalog as a whole when given. */
    public static GpuCatalog catalog(Config config) {
        List<GpuType> types = new ArrayList<>();
        for (Config t : config.get("catalog.types").asNodeList().orElse(List.of())) {
            types.add(new GpuType(
                    t.get("name").asString().get(),
                    new HashSet<>(t.get("aliases").asList(String.class).orElse(List.of())),
                    t.get("gpus-per-node").asInt().get(),
                    t.get("instance-type").asString().orElse(""),
                    t.get("node-selector").detach().asMap().orElse(Map.of()),
                    t.get("multi-node").asBoolean().orElse(false)));
        }
        return types.isEmpty() ? GpuCatalog.defaults() : new GpuCatalog(types);
    }

    /** {@code limits.*}: each key given replaces that bound of the defaults. */
    public static Limits limits(Config config) {
        Config l = config.get("limits");
        Limits d = Limits.defaults();
        return new Limits(
                duration(l, "min-duration").orElse(d.minDuration()),
                duration(l, "max-duration").orElse(d.maxDuration()),
                duration(l, "max-extension").orElse(d.maxExtension()),
                duration(l, "max-total").orElse(d.maxTotal()),
                duration(l, "queue-timeout").orElse(d.queueTimeout()),
                l.get("reminders").asList(Duration.class).orElse(d.reminders()),
                l.get("max-gpus-per-user").asInt().orElse(d.maxGpusPerUser()),
                l.get("max-nodes-per-request").asInt().orElse(d.maxNodesPerRequest()),
                l.get("fair-share").asBoolean().orElse(d.fairShare()),
                duration(l, "provision-timeout").orElse(d.provisionTimeout()));
    }

    /** {@code limits.booking.*}: each key given replaces that bound of {@link BookingLimits#defaults()}. */
    public static BookingLimits bookings(Config config) {
        Config b = config.get("limits.booking");
        BookingLimits d = BookingLimits.defaults();
        return new BookingLimits(
                duration(b, "max-ahead").orElse(d.maxAhead()),
                duration(b, "max-duration").orElse(d.maxDuration()),
                b.get("gpu-hours-per-user").asDouble().orElse(d.gpuHoursPerUser()),
                b.get("gpu-hours-total").asDouble().orElse(d.gpuHoursTotal()),
                duration(b, "reminder").orElse(d.reminder()),
                duration(b, "unused-grace").orElse(d.unusedGrace()));
    }

    public static Optional<Duration> duration(Config node, String key) {
        return node.get(key).as(Duration.class).asOptional();
    }

    /** A value that is absent or blank is not set. */
    public static Optional<String> text(Config node) {
        return node.asString().asOptional().map(String::strip).filter(s -> !s.isEmpty());
    }

    /** A list, or one comma-separated value (handy in an environment variable: {@code SLACK_ADMINS=U1,U2}). */
    public static List<String> strings(Config node) {
        List<String> raw = node.asString().map(v -> List.of(v.split(","))).orElseGet(() -> node.asList(String.class).orElse(List.of()));
        return raw.stream().map(String::strip).filter(s -> !s.isBlank()).toList();
    }
}
