package dev.gpudev.adapters.kubernetes.server;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.adapters.kubernetes.testing.PodSecurityBaseline;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.ServerSpec;
import dev.gpudev.scheduler.testing.Fixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every server pod the adapter builds is admitted by the servers' namespace (Pod Security {@code baseline}, see
 * helm/gpu-dev-bot/templates/servers-namespace.yaml), checked against the standard's rules since the mock API server
 * enforces none: each server shape (GPUs, nodes, EFA), with and without Jupyter, shared and home volumes, a custom image
 * and a custom command.
 */
class ServerPodSecurityTest {
    static final NodeResources P5 = new NodeResources(new BigDecimal("191.45"), new BigDecimal(2_000L * 1024 * 1024 * 1024), 32);
    static final GithubLogin ANA = new GithubLogin("ana");

    record Shape(String name, int gpus, int nodes, boolean efa) {
    }

    static List<Arguments> everyServer() {
        List<Shape> shapes = List.of(new Shape("1 GPU", 1, 1, true), new Shape("4 GPUs", 4, 1, true),
                new Shape("8 GPUs", 8, 1, true), new Shape("2x8 with EFA", 16, 2, true), new Shape("2x8 without EFA", 16, 2, false),
                new Shape("4x8 with EFA", 32, 4, true));
        List<Arguments> all = new ArrayList<>();
        for (Shape shape : shapes) {
            for (boolean jupyter : List.of(false, true)) {
                for (String efs : List.of("", "team-efs")) {
                    for (String home : List.of("none", "ReadWriteOnce", "ReadWriteMany")) {
                        for (String image : List.of("", "ghcr.io/acme/dev:1")) {
                            for (boolean command : List.of(false, true)) {
                                KubernetesSettings.Builder b = KubernetesSettings.builder().efa(shape.efa()).efsClaim(efs);
                                if (!home.equals("none")) {
                                    b.homeStorageClass("gp3").homeAccessMode(home);
                                }
                                if (command) {
                                    b.command(List.of("/opt/start.sh"));
                                }
                                String name = "%s, jupyter %s, efs %s, home %s, image %s, command %s".formatted(shape.name(),
                                        jupyter, efs.isEmpty() ? "none" : efs, home, image.isEmpty() ? "default" : image,
                                        command ? "custom" : "bootstrap");
                                all.add(arguments(Named.of(name, b.build()), shape, jupyter, image));
                            }
                        }
                    }
                }
            }
        }
        return all;
    }

    @ParameterizedTest
    @MethodSource("everyServer")
    void everyPodOfEveryServerIsAdmittedByBaseline(KubernetesSettings s, Shape shape, boolean jupyter, String image) {
        List<NodeName> nodes = IntStream.range(0, shape.nodes()).mapToObj(i -> new NodeName("p5-" + i)).toList();
        Reservation r = Reservation.queued(new ReservationId("h100-0a01"), Fixtures.ANA, "h100", shape.gpus(), Duration.ofHours(2),
                        new RequestOptions(jupyter, List.of(), null, image.isEmpty() ? null : image), Fixtures.T0)
                .provisioning(nodes, Fixtures.T0);
        Map<NodeName, NodeResources> res = nodes.stream().collect(Collectors.toMap(n -> n, n -> P5));
        ServerPlan plan = ServerObjects.plan(new ServerSpec(r, ANA, List.of(Fixtures.ED25519)), s, 8, res, jupyter ? "token" : "");
        assertThat(plan.pods()).hasSize(shape.nodes());
        for (Pod pod : plan.pods()) {
            assertThat(PodSecurityBaseline.violations(pod)).as(pod.getMetadata().getName()).isEmpty();
        }
    }
}
