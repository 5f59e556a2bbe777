package dev.gpudev.scheduler.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.policy.Validation;
import dev.gpudev.scheduler.testing.Fixtures;

/**
 * The command grammar on any text a user can type: a command, or what was wrong and what would work; never an
 * exception, never a GPU count that is not what was typed. The seeds ({@code CommandFuzzTestInputs/}) are plain text.
 */
class CommandFuzzTest {
    static final RequestValidator VALIDATOR = new RequestValidator(GpuCatalog.defaults(), Limits.defaults());
    static final ClusterSnapshot CLUSTER = Fixtures.plus(Fixtures.nodes("h100", 2, 8), Fixtures.nodes("l4", 1, 4));

    @FuzzTest(maxDuration = "2m")
    void everyTextGetsACommandOrAHelpfulRefusal(FuzzedDataProvider data) {
        String text = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);
        switch (CommandParser.parse(text)) {
            case Command.Invalid invalid -> assertThat(invalid.problem()).isNotBlank();
            case Command.Reserve reserve -> {
                assertThat(reserve.gpus()).as("the GPU count of %s", text).satisfiesAnyOf(
                        gpus -> assertThat(gpus).isNull(), gpus -> assertThat(gpus).isNotNegative());
                List<String> nodesTimesGpus = words(text).filter(w -> w.matches("\\d+x\\d+")).toList();
                if (reserve.gpus() != null && nodesTimesGpus.size() == 1 && !text.contains("--")) {
                    String[] n = nodesTimesGpus.getFirst().split("x");
                    assertThat(BigInteger.valueOf(reserve.gpus())).as("the GPU count of %s", text)
                            .isEqualTo(new BigInteger(n[0]).multiply(new BigInteger(n[1])));
                }
                if (VALIDATOR.validate(new UserId("U1"), reserve, CLUSTER, 0) instanceof Validation.Invalid invalid) {
                    assertThat(invalid.reason()).isNotBlank();
                }
            }
            default -> {
            }
        }
    }


    private static Stream<String> words(String text) {
        return Arrays.stream(text.strip().split("\\s+")).map(w -> w.toLowerCase(Locale.ROOT));
    }
}
