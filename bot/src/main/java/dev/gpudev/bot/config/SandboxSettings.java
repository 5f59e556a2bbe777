package dev.gpudev.bot.config;

import io.helidon.config.Config;

/**
 * The {@code sandbox} subtree, read only in sandbox mode.
 *
 * @param timeScale how much faster than real time the sandbox clock runs
 * @param console   read commands from stdin and print every reply
 */
public record SandboxSettings(double timeScale, boolean console) {
    public SandboxSettings {
        if (!(timeScale > 0)) {
            throw new IllegalArgumentException("sandbox.time-scale must be positive, not " + timeScale + "; 60 runs a minute per second");
        }
    }

    public static SandboxSettings create(Config sandbox) {
        return new SandboxSettings(sandbox.get("time-scale").asDouble().get(), sandbox.get("console").asBoolean().get());
    }
}
