package dev.gpudev.scheduler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gpudev.scheduler.policy.QueuePolicy;

/**
 * The trace reader on any file: jobs the replay can run, or an error that names the line and the format; never an
 * exception from deep inside (a NumberFormatException, an index out of bounds, an empty list's first element).
 */
class WorkloadFuzzTest {
    private static final Path TRACE = trace();

    @FuzzTest(maxDuration = "2m")
    void everyTraceIsReplayedOrRefusedWithTheLineAndTheFormat(FuzzedDataProvider data) throws IOException {
        Files.write(TRACE, data.consumeRemainingAsBytes());
        Throwable error = catchThrowable(() -> {
            List<Job> jobs = Workload.read(TRACE);
            assertThat(jobs).isNotEmpty().allSatisfy(j -> {
                assertThat(j.gpus()).isIn(1, 2, 4, 8, 16);
                assertThat(j.run()).isBetween(1L, Workload.MAX_RUN);
                assertThat(j.submit()).isNotNegative();
            });
            Replay.run(QueuePolicy.GPU_DEV_BOT, Workload.scaled(jobs, 2 * Replay.GPUS_PER_NODE, 0.9), 2);
        });
        if (error != null) {
            assertThat(error).as("a refusal that names the line and the format, not a crash").isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("trace.csv").hasMessageContaining("a trace is a header line");
        }
    }

    private static Path trace() {
        try {
            Path dir = Files.createTempDirectory("workload-fuzz");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve("trace.csv");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aFileThatIsNotTextIsRefusedByName(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("philly.csv"), new byte[] {'u', '_', 'i', 'd', '\n', (byte) 0xff, (byte) 0xfe, ','});
        assertThatThrownBy(() -> Workload.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("philly.csv is not UTF-8 text");
    }
}
