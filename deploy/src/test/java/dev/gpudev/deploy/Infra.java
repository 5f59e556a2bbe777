package dev.gpudev.deploy;

import java.nio.file.Path;

/** Where the OpenTofu code the infra tests read lives (the build sets {@code gpudev.infra.dir}). */
final class Infra {
    static final Path DIR = Path.of(System.getProperty("gpudev.infra.dir", "../infra")).toAbsolutePath().normalize();
    static final Path MODULE = DIR.resolve("modules").resolve("gpu-dev");

    private Infra() {
    }
}
