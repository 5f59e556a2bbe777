package dev.gpudev.bot.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;

class BenchArgsTest {
    static final List<Arguments> VALID = List.of(
            Arguments.of(Named.of("nothing: the issue's 30 s at 200/s", new String[] {}), new BenchArgs(30, 200, 10, 1000, BenchArgs.Order.SEQUENTIAL)),
            Arguments.of(Named.of("an empty -Dbench.args", new String[] {""}), new BenchArgs(30, 200, 10, 1000, BenchArgs.Order.SEQUENTIAL)),
            Arguments.of(Named.of("one string, as Maven passes it", new String[] {" --seconds 5  --rate 50 "}),
                    new BenchArgs(5, 50, 10, 1000, BenchArgs.Order.SEQUENTIAL)),
            Arguments.of(Named.of("split, every option", new String[] {"--warmup", "0", "--users", "7", "--order", "Interleaved"}),
                    new BenchArgs(30, 200, 0, 7, BenchArgs.Order.INTERLEAVED)));

    @ParameterizedTest
    @FieldSource("VALID")
    void parses(String[] args, BenchArgs expected) {
        assertThat(BenchArgs.parse(args)).isEqualTo(expected);
    }

    static final List<Arguments> INVALID = List.of(
            Arguments.of(Named.of("unknown option", new String[] {"--duration", "30"})),
            Arguments.of(Named.of("option without a value", new String[] {"--rate"})),
            Arguments.of(Named.of("zero rate", new String[] {"--rate 0"})),
            Arguments.of(Named.of("unknown order", new String[] {"--order random"})));

    @ParameterizedTest
    @FieldSource("INVALID")
    void refusesWithTheUsage(String[] args) {
        assertThatIllegalArgumentException().isThrownBy(() -> BenchArgs.parse(args));
    }

    @Test
    void countsWarmUpRequestsToo() {
        assertThat(BenchArgs.parse("--seconds 30 --rate 200 --warmup 10").requestsPerTarget()).isEqualTo(8000);
    }
}
