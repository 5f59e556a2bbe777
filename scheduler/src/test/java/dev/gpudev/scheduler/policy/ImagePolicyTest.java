package dev.gpudev.scheduler.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImagePolicyTest {
    static final String ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
    static final String SHA = "sha256:" + "a".repeat(64);
    static final ImagePolicy POLICY = ImagePolicy.of("nvcr.io/nvidia/pytorch:25.01-py3", List.of(
            ECR + "/team/", "ghcr.io/acme/dev", "ubuntu:22.04", "nvcr.io/nvidia/cuda@" + SHA, "acme/"));

    static Arguments c(String name, String requested, String admittedAs) {
        return Arguments.of(Named.of(name, requested), Optional.ofNullable(admittedAs));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                c("the default", "nvcr.io/nvidia/pytorch:25.01-py3", "nvcr.io/nvidia/pytorch:25.01-py3"),
                c("the default's repository at another tag", "nvcr.io/nvidia/pytorch:24.01-py3", null),
                c("under the prefix", ECR + "/team/trainer:3", ECR + "/team/trainer:3"),
                c("deeper under the prefix, no tag is latest", ECR + "/team/a/b", ECR + "/team/a/b:latest"),
                c("a sibling that starts with the prefix's name", ECR + "/team-evil/miner:1", null),
                c("the prefix itself is no image", ECR + "/team", null),
                c("another account's registry", "999999999999.dkr.ecr.us-east-1.amazonaws.com/team/x:1", null),
                c("the prefix's host in upper case is the same host", ECR.toUpperCase() + "/team/x:1", ECR + "/team/x:1"),
                c("dot-dot out of the prefix", ECR + "/team/../evil:1", null),
                c("a dot component", ECR + "/team/./x:1", null),
                c("an empty component", ECR + "/team//x:1", null),
                c("upper case in the path", ECR + "/team/Miner:1", null),
                c("a named repository, any tag", "ghcr.io/acme/dev:2024-11", "ghcr.io/acme/dev:2024-11"),
                c("a named repository by digest", "ghcr.io/acme/dev@" + SHA, "ghcr.io/acme/dev@" + SHA),
                c("a named repository is no prefix", "ghcr.io/acme/dev/tools:1", null),
                c("a longer name that starts with it", "ghcr.io/acme/devil:1", null),
                c("the pinned tag, short Docker Hub form", "ubuntu:22.04", "docker.io/library/ubuntu:22.04"),
                c("the pinned tag, long form", "docker.io/library/ubuntu:22.04", "docker.io/library/ubuntu:22.04"),
                c("the pinned tag via index.docker.io", "index.docker.io/library/ubuntu:22.04", "docker.io/library/ubuntu:22.04"),
                c("another tag of a pinned image", "ubuntu:24.04", null),
                c("no tag means latest, not the pinned one", "ubuntu", null),
                c("the pinned tag with another digest", "ubuntu:22.04@" + SHA, null),
                c("the pinned digest", "nvcr.io/nvidia/cuda@" + SHA, "nvcr.io/nvidia/cuda@" + SHA),
                c("the pinned digest with a tag", "nvcr.io/nvidia/cuda:12@" + SHA, "nvcr.io/nvidia/cuda:12@" + SHA),
                c("another digest", "nvcr.io/nvidia/cuda@sha256:" + "b".repeat(64), null),
                c("a tag of the digest-pinned repository", "nvcr.io/nvidia/cuda:12.4", null),
                c("a Docker Hub organisation prefix", "acme/tool:1", "docker.io/acme/tool:1"),
                c("the organisation's name as an official image", "acme", null),
                c("an organisation that starts with it", "acme-evil/tool:1", null),
                c("unknown user on Docker Hub", "evil/miner", null),
                c("a bad digest", "ghcr.io/acme/dev@sha256:xyz", null),
                c("whitespace inside", "ghcr.io/acme/dev :1", null),
                c("a newline", "ghcr.io/acme/dev:1\nrm", null),
                c("a Slack mention", "<!channel>", null),
                c("a tag with a slash-like trick", "ghcr.io/acme/dev:1/../../x", null),
                c("empty", "", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void admitsExactlyTheAllowedImagesInTheirNormalisedForm(String requested, Optional<String> admittedAs) {
        assertThat(POLICY.admit(requested)).isEqualTo(admittedAs);
    }

    @Test
    void theRefusalNamesWhatWasAskedAndEverythingAllowed() {
        assertThat(POLICY.refusal("evil/miner")).isEqualTo("The image `evil/miner` is not allowed on this cluster. Allowed: "
                + "`nvcr.io/nvidia/pytorch:25.01-py3` (the default: reserve without `--image`), "
                + "`ghcr.io/acme/dev` (any tag), `docker.io/library/ubuntu:22.04`, `nvcr.io/nvidia/cuda@" + SHA + "`, "
                + "any image under `" + ECR + "/team/`, any image under `docker.io/acme/`.");
        assertThat(POLICY.refusal("<!channel> `x`")).startsWith("`??channel???x?` is not an image reference").contains("Allowed:");
        assertThat(ImagePolicy.DEFAULT_ONLY.admit("nvcr.io/nvidia/pytorch:25.01-py3")).isEmpty();
        assertThat(ImagePolicy.DEFAULT_ONLY.refusal("x")).contains("reserve without `--image`");
    }

    @Test
    void aWholeRegistryIsAPrefixToo() {
        ImagePolicy p = ImagePolicy.of("ubuntu", List.of("registry.internal:5000/"));
        assertThat(p.admit("registry.internal:5000/any/thing:1")).contains("registry.internal:5000/any/thing:1");
        assertThat(p.admit("registry.internal/any/thing:1")).isEmpty();
        assertThat(p.admit("ubuntu:latest")).contains("docker.io/library/ubuntu:latest");
    }

    @Test
    void anInvalidEntryIsNamed() {
        assertThatThrownBy(() -> ImagePolicy.of("ubuntu", List.of("ghcr.io/Acme/dev"))).hasMessageContaining("ghcr.io/Acme/dev");
        assertThatThrownBy(() -> ImagePolicy.of("ubuntu", List.of("ghcr.io/../"))).hasMessageContaining("prefix");
        assertThatThrownBy(() -> ImagePolicy.of("not an image", List.of())).hasMessageContaining("not an image");
    }
}
