package dev.gpudev.adapters.kubernetes.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** What {@code nvidia-smi} prints in a server, as the ready message's GPU line. */
class GpuFactsTest {
    record Case(String output, Optional<String> line) {
    }

    static final List<Named<Case>> OUTPUTS = List.of(
            Named.of("eight H100s with the banner's CUDA version", new Case("""
                    NVIDIA H100 80GB HBM3, 550.54.15
                    NVIDIA H100 80GB HBM3, 550.54.15
                    NVIDIA H100 80GB HBM3, 550.54.15
                    NVIDIA H100 80GB HBM3, 550.54.15
                    NVIDIA H100 80GB HBM3, 550.54.15
                    NVIDIA H100 80GB HBM3, 550.54.15
                    NVIDIA H100 80GB HBM3, 550.54.15
                    NVIDIA H100 80GB HBM3, 550.54.15
                    CUDA Version: 12.4
                    """, Optional.of("8 × NVIDIA H100 80GB HBM3 · driver 550.54.15 · CUDA 12.4"))),
            Named.of("one L4, no banner", new Case("NVIDIA L4, 570.86.10\n", Optional.of("1 × NVIDIA L4 · driver 570.86.10"))),
            Named.of("no nvidia-smi in the image", new Case("sh: 1: nvidia-smi: not found\n", Optional.empty())),
            Named.of("the driver is not loaded", new Case("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n",
                    Optional.empty())),
            Named.of("markup in a name is dropped", new Case("NVIDIA <b>*X*</b>, 1.2\n", Optional.of("1 × NVIDIA bX/b · driver 1.2"))),
            Named.of("nothing", new Case("", Optional.empty())));

    @ParameterizedTest
    @FieldSource("OUTPUTS")
    void theOutputBecomesOneLineOrNothing(Case c) {
        assertThat(GpuFacts.parse(c.output())).isEqualTo(c.line());
    }

    @ParameterizedTest
    @FieldSource("OUTPUTS")
    void theImageIsAlwaysNamed(Case c) {
        String about = GpuFacts.about(GpuFacts.parse(c.output()), "nvcr.io/nvidia/pytorch:25.01-py3");
        assertThat(about).endsWith("image nvcr.io/nvidia/pytorch:25.01-py3");
        assertThat(about.startsWith("image")).isEqualTo(c.line().isEmpty());
    }
}
