package dev.gpudev.scheduler.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The seed corpus of a Jazzer {@code @FuzzTest} written as code: each named scenario is a file
 * {@code src/test/resources/<package>/<Class>Inputs/<method>/<name>} that {@code mvn test} replays. {@link #check} shows the
 * committed files are these scenarios; {@code -Dfuzz.seeds.write=true} (re)writes them.
 */
public final class Seeds {
    private Seeds() {
    }

    public static void check(Class<?> test, String method, Map<String, byte[]> seeds) {
        Path dir = Path.of("src/test/resources", test.getPackageName().replace('.', '/'), test.getSimpleName() + "Inputs", method);
        try {
            if (Boolean.getBoolean("fuzz.seeds.write")) {
                Files.createDirectories(dir);
                for (var seed : seeds.entrySet()) {
                    Files.write(dir.resolve(seed.getKey()), seed.getValue());
                }
            }
            for (var seed : seeds.entrySet()) {
                Path file = dir.resolve(seed.getKey());
                assertThat(file).as("seed %s (write it with -Dfuzz.seeds.write=true)", file).exists();
                assertThat(Files.readAllBytes(file)).as("seed %s", file).isEqualTo(seed.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
