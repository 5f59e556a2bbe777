package dev.gpudev.bot.config;

import io.helidon.config.Config;

/**
 * The {@code sandbox} subtree, read only in sandbox mode.
 *
 * @param timeScale how much faster than real time the sandbox clock runs
 * @param console   read commands from stdin and print every reply
 * @param filesDir  where the console saves the files the bot uploads (pictures, CSV); empty: a fresh temporary directory
 */
public record SandboxSettings(double timeScale, boolean console, String filesDir) {
    public SandboxSettings {
        if (!(timeScale > 0)) {
            throw new IllegalArgumentException("sandbox.time-scale must be positive, not " + timeScale + "; 60 runs a minute per second");
        }
    }

    public static SandboxSettings create(Config sandbox) {
        return new SandboxSettings(sandbox.get("time-scale").asDouble().get(), sandbox.get("console").asBoolean().get(),
                sandbox.get("files-dir").asString().orElse(""));
    }
}
