package dev.gpudev.bot.config;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * The {@code runtime} subtree.
 *
 * @param maxTick the ticker wakes at least this often, so a clock that jumps (the sandbox's {@code :advance}) is noticed
 */
public record RuntimeSettings(Duration maxTick) {
    public static RuntimeSettings create(Config runtime) {
        return new RuntimeSettings(runtime.get("max-tick").as(Duration.class).get());
    }
}
