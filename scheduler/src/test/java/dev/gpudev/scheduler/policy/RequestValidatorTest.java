package dev.gpudev.scheduler.policy;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.testing.Fixtures;

class RequestValidatorTest {
    static final ClusterSnapshot CLUSTER = Fixtures.plus(Fixtures.nodes("h100", 4, 8), Fixtures.nodes("t4", 2, 4));
    final RequestValidator validator = new RequestValidator(GpuCatalog.defaults(), Limits.defaults());

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(Named.of("unknown type: the closest is suggested and the valid ones listed", "reserve h10 4 2h"), 0, "Did you mean `h100`?"),
                Arguments.of(Named.of("more than a node and not whole nodes", "reserve h100 12 2h"), 0, "not a multiple of whole nodes"),
                Arguments.of(Named.of("not a power of two", "reserve h100 3 2h"), 0, "Choose one of 1, 2, 4, 8, 16"),
                Arguments.of(Named.of("t4 nodes hold 4: no multi-node t4", "reserve t4 8 1h"), 0, "Choose one of 1, 2, 4"),
                Arguments.of(Named.of("far more than the cluster: the bound is named", "reserve h100 4096 2h"), 0, "4096 is too many GPUs; at most 32 h100 GPUs"),
                Arguments.of(Named.of("too short", "reserve h100 1 2m"), 0, "from 5m to 24h"),
                Arguments.of(Named.of("too long", "reserve h100 1 25h"), 0, "from 5m to 24h"),
                Arguments.of(Named.of("a type without nodes would wait forever", "reserve b200 1 1h"), 0, "would wait forever"),
                Arguments.of(Named.of("the per-user limit", "reserve h100 8 1h"), 12, "limit of 16"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void everyInvalidRequestGetsASpecificAnswer(String text, int held, String answer) {
        Validation v = validator.validate(ANA, (Command.Reserve) CommandParser.parse(text), CLUSTER, held);
        assertThat(v).isInstanceOfSatisfying(Validation.Invalid.class, i -> assertThat(i.reason()).contains(answer));
    }

    @Test
    void jupyterIsRefusedWhereTheClusterDoesNotOfferIt() {
        var withJupyter = (Command.Reserve) CommandParser.parse("reserve h100 1 1h --jupyter");
        Validation v = new RequestValidator(GpuCatalog.defaults(), Limits.defaults(), false).validate(ANA, withJupyter, CLUSTER, 0);
        assertThat(v).isInstanceOfSatisfying(Validation.Invalid.class, i -> assertThat(i.reason())
                .isEqualTo("Jupyter is not enabled on this cluster; reserve without `--jupyter`."));
        assertThat(new RequestValidator(GpuCatalog.defaults(), Limits.defaults(), false)
                .validate(ANA, (Command.Reserve) CommandParser.parse("reserve h100 1 1h"), CLUSTER, 0)).isInstanceOf(Validation.Valid.class);
        assertThat(validator.validate(ANA, withJupyter, CLUSTER, 0)).isInstanceOfSatisfying(Validation.Valid.class,
                ok -> assertThat(ok.request().options().jupyter()).isTrue());
    }

    @Test
    void onlyAllowedImagesAreAcceptedAndTheRefusalListsThem() {
        ImagePolicy images = ImagePolicy.of("nvcr.io/nvidia/pytorch:25.01-py3", List.of("ghcr.io/acme/"));
        RequestValidator v = new RequestValidator(GpuCatalog.defaults(), Limits.defaults(), true, images);
        assertThat(v.validate(ANA, (Command.Reserve) CommandParser.parse("reserve h100 1 1h --image evil/miner"), CLUSTER, 0))
                .isInstanceOfSatisfying(Validation.Invalid.class, i -> assertThat(i.reason()).isEqualTo(
                        "The image `evil/miner` is not allowed on this cluster. Allowed: `nvcr.io/nvidia/pytorch:25.01-py3` "
                                + "(the default: reserve without `--image`), any image under `ghcr.io/acme/`."));
        for (String ok : List.of("nvcr.io/nvidia/pytorch:25.01-py3", "ghcr.io/acme/trainer:2")) {
            assertThat(v.validate(ANA, (Command.Reserve) CommandParser.parse("reserve h100 1 1h --image " + ok), CLUSTER, 0))
                    .isInstanceOfSatisfying(Validation.Valid.class, valid -> assertThat(valid.request().options().image()).isEqualTo(ok));
        }
        assertThat(v.validate(ANA, (Command.Reserve) CommandParser.parse("reserve h100 1 1h"), CLUSTER, 0))
                .isInstanceOfSatisfying(Validation.Valid.class, valid -> assertThat(valid.request().options().image()).isNull());
        // a validator that was told of no images refuses every --image
        assertThat(validator.validate(ANA, (Command.Reserve) CommandParser.parse("reserve h100 1 1h --image ghcr.io/acme/x:1"), CLUSTER, 0))
                .isInstanceOfSatisfying(Validation.Invalid.class, i -> assertThat(i.reason()).contains("reserve without `--image`"));
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of(Named.of("plain", "reserve h100 4 2h"), 4),
                Arguments.of(Named.of("count first, alias, for", "reserve 4 p5 for 90m"), 4),
                Arguments.of(Named.of("two whole nodes", "reserve h100 2x8 4h"), 16),
                Arguments.of(Named.of("case-insensitive with a flag", "reserve H100 8 30m --jupyter"), 8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void validRequestsPass(String text, int gpus) {
        Validation v = validator.validate(ANA, (Command.Reserve) CommandParser.parse(text), CLUSTER, 0);
        assertThat(v).isInstanceOfSatisfying(Validation.Valid.class, ok -> assertThat(ok.request().gpus()).isEqualTo(gpus));
    }
}
