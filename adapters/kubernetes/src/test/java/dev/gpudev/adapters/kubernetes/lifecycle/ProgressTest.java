package dev.gpudev.adapters.kubernetes.lifecycle;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ProgressTest {
    static final String IMAGE = "ghcr.io/ana/dev:1";

    static List<Arguments> events() {
        return List.of(
                arguments("Scheduled", "Successfully assigned gpu-dev/p to gpu-a", new Progress.Step("scheduled on its node")),
                arguments("Pulling", "Pulling image \"ghcr.io/ana/dev:1\"", new Progress.Step("pulling image ghcr.io/ana/dev:1...")),
                arguments("Pulled", "Successfully pulled image", new Progress.Step("image pulled, starting")),
                arguments("Started", "Started container dev", new Progress.Step("container started, waiting for SSH")),
                arguments("FailedScheduling", "0/3 nodes are available: 1 Insufficient nvidia.com/gpu.",
                        new Progress.Step("waiting for the node: 0/3 nodes are available: 1 Insufficient nvidia.com/gpu.")),
                arguments("Failed", "Failed to pull image \"ghcr.io/ana/dev:1\": rpc error: code = NotFound desc = failed to resolve reference: not found",
                        new Progress.Fatal("image not found: ghcr.io/ana/dev:1 — check the name")),
                arguments("Failed", "Failed to pull image: pull access denied, repository does not exist or may require authorization",
                        new Progress.Fatal("image not found: ghcr.io/ana/dev:1 — check the name")),
                arguments("Failed", "Failed to pull image: i/o timeout",
                        new Progress.Step("cannot pull ghcr.io/ana/dev:1 yet, retrying: Failed to pull image: i/o timeout")),
                arguments("BackOff", "Back-off pulling image \"ghcr.io/ana/dev:1\"", new Progress.Step("ImagePullBackOff: cannot pull ghcr.io/ana/dev:1, retrying")),
                arguments("BackOff", "Back-off restarting failed container dev",
                        new Progress.Step("CrashLoopBackOff: the server keeps exiting; check that the image can run sshd")),
                arguments("Evicted", "The node was low on resource: memory.", new Progress.Fatal("evicted: The node was low on resource: memory.")),
                arguments("Created", "Created container dev", null),
                arguments("SandboxChanged", "Pod sandbox changed", null));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("events")
    void podEventsBecomePlainLanguage(String reason, String message, Progress expected) {
        assertThat(Progress.ofEvent(reason, message, IMAGE)).isEqualTo(Optional.ofNullable(expected));
    }

    static ContainerStatus waiting(String reason, String message) {
        return new ContainerStatusBuilder().withName("dev").withNewState().withNewWaiting().withReason(reason).withMessage(message)
                .endWaiting().endState().build();
    }

    static List<Arguments> containers() {
        return List.of(
                arguments(Named.of("image missing", waiting("ErrImagePull", "manifest unknown")),
                        new Progress.Fatal("image not found: ghcr.io/ana/dev:1 — check the name")),
                arguments(Named.of("pull backing off", waiting("ImagePullBackOff", "Back-off pulling image")),
                        new Progress.Step("ImagePullBackOff: cannot pull ghcr.io/ana/dev:1, retrying")),
                arguments(Named.of("invalid image name", waiting("InvalidImageName", "couldn't parse image reference")),
                        new Progress.Fatal("image not found: ghcr.io/ana/dev:1 — check the name")),
                arguments(Named.of("crash loop", waiting("CrashLoopBackOff", "back-off 40s")),
                        new Progress.Step("CrashLoopBackOff: the server keeps exiting; check that the image can run sshd")),
                arguments(Named.of("bad config", waiting("CreateContainerConfigError", "secret \"x\" not found")),
                        new Progress.Fatal("the server's configuration is invalid: secret \"x\" not found")),
                arguments(Named.of("creating", waiting("ContainerCreating", "")), null),
                arguments(Named.of("restarted after OOM", new ContainerStatusBuilder().withName("dev").withNewState().withNewRunning().endRunning().endState()
                        .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137).endTerminated().endLastState().build()),
                        new Progress.Step("OOMKilled: the server ran out of memory and restarted")),
                arguments(Named.of("running", new ContainerStatusBuilder().withName("dev").withNewState().withNewRunning().endRunning().endState().build()), null));
    }

    @ParameterizedTest
    @MethodSource("containers")
    void containerStatesBecomePlainLanguage(ContainerStatus status, Progress expected) {
        assertThat(Progress.ofContainer(status, IMAGE)).isEqualTo(Optional.ofNullable(expected));
    }
}
