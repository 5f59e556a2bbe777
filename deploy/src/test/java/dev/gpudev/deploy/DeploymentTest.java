package dev.gpudev.deploy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;
import static org.junit.jupiter.api.Named.named;

class DeploymentTest {
    private static final String CONFIG_FILE = "/etc/gpu-dev-bot/application.yaml";

    @Test
    void probesWatchTheHealthEndpoints() {
        Container bot = bot(Chart.render());

        assertThat(bot.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/live");
        assertThat(bot.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/ready");
        assertThat(bot.getStartupProbe().getHttpGet().getPath()).isEqualTo("/observe/health/live");
        assertThat(Stream.of(bot.getLivenessProbe(), bot.getReadinessProbe(), bot.getStartupProbe()))
                .allSatisfy(p -> assertThat(p.getHttpGet().getPort().getStrVal()).isEqualTo("http"));
        assertThat(bot.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(8080);
        });
    }

    @Test
    void runsAsNonRootWithNothingExtra() {
        var rendered = Chart.render();
        PodSpec pod = rendered.only(Deployment.class).getSpec().getTemplate().getSpec();
        Container bot = bot(rendered);

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(bot.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(bot.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(bot.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(bot.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(bot.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(bot.getResources().getLimits()).containsKey("memory");
    }

    static Stream<Named<Map<String, Object>>> secretSettings() {
        return Stream.of(
                named("http mode", Map.of()),
                named("socket mode with GitHub", Map.of("config.slack.mode", "socket", "secrets.github.name", "gh")));
    }

    @ParameterizedTest
    @MethodSource("secretSettings")
    void secretsAreReferencedNeverInlined(Map<String, Object> sets) {
        var rendered = Chart.render(sets);
        List<EnvVar> env = bot(rendered).getEnv();

        assertThat(rendered.names()).noneMatch(n -> n.startsWith("Secret/"));
        assertThat(env).filteredOn(e -> e.getName().matches("SLACK_.*|GITHUB_.*")).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getValue()).isNull();
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isNotBlank();
        });
    }

    @Test
    void modeDecidesWhichSlackSecretIsRead() {
        assertThat(envNames(Chart.render())).contains("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
                .doesNotContain("SLACK_APP_TOKEN", "GITHUB_TOKEN");
        assertThat(envNames(Chart.render(Map.of("config.slack.mode", "socket", "secrets.github.name", "gh"))))
                .contains("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "GITHUB_TOKEN", "GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY")
                .doesNotContain("SLACK_SIGNING_SECRET");
    }

    @Test
    void configMapIsMountedWhereGpuDevConfigPoints() {
        var rendered = Chart.render();
        Container bot = bot(rendered);

        assertThat(bot.getEnv()).filteredOn(e -> e.getName().equals("GPU_DEV_CONFIG"))
                .singleElement().extracting(EnvVar::getValue).isEqualTo(CONFIG_FILE);
        assertThat(bot.getVolumeMounts()).anySatisfy(m -> {
            assertThat(CONFIG_FILE).isEqualTo(m.getMountPath() + "/application.yaml");
            assertThat(m.getReadOnly()).isTrue();
            assertThat(rendered.only(Deployment.class).getSpec().getTemplate().getSpec().getVolumes())
                    .anySatisfy(v -> {
                        assertThat(v.getName()).isEqualTo(m.getName());
                        assertThat(v.getConfigMap().getName()).isEqualTo("gpu-dev-bot");
                    });
        });
    }

    @Test
    void configCarriesTheChartsOwnKeysOverValues() {
        Map<String, Object> config = Chart.render(Map.of(
                "config.cluster.kubernetes.namespace", "elsewhere",
                "config.limits.max-gpus-per-user", 8)).botConfig();

        assertThat(config).extractingByKey("cluster").asInstanceOf(MAP)
                .containsEntry("kind", "kubernetes")
                .containsEntry("kubernetes", Map.of("namespace", Chart.SERVERS, "home-storage-class", "gpu-dev-home",
                        "efs-claim", "gpu-dev-shared", "storage", Map.of("snapshot-class", "gpu-dev-snapshots")));
        assertThat(config).containsEntry("leader-election",
                Map.of("enabled", true, "lease-name", "gpu-dev-bot", "lease-duration", "PT15S"));
        assertThat(config).containsEntry("limits", Map.of("max-gpus-per-user", 8));
        assertThat(config).containsEntry("server", Map.of("port", 8080, "host", "0.0.0.0"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void everyReplicaCountElectsALeaderAndHasABudgetThatAllowsADrain(int replicas) {
        var rendered = Chart.render(Map.of("replicaCount", replicas));
        var budget = rendered.only(PodDisruptionBudget.class).getSpec();

        // with 1 replica too: a rollout overlaps the old and the new pod, and only one may schedule
        assertThat(rendered.botConfig()).extractingByKey("leader-election").asInstanceOf(MAP).containsEntry("enabled", true);
        assertThat(rendered.only(Deployment.class).getSpec().getReplicas()).isEqualTo(replicas);
        assertThat(budget.getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getMinAvailable()).isNull();
        assertThat(budget.getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
    }

    @Test
    void rolloutAddsANewPodBeforeRemovingAnOld() {
        var strategy = Chart.render().only(Deployment.class).getSpec().getStrategy();

        assertThat(strategy.getType()).isEqualTo("RollingUpdate");
        assertThat(strategy.getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(1);
        assertThat(strategy.getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    }

    @Test
    void aMinAvailableFromOlderValuesIsKeptWhenADrainCanStillEvict() {
        var budget = Chart.render(Map.of("replicaCount", 3, "podDisruptionBudget.minAvailable", 2))
                .only(PodDisruptionBudget.class).getSpec();

        assertThat(budget.getMinAvailable().getIntVal()).isEqualTo(2);
        assertThat(budget.getMaxUnavailable()).isNull();
    }

    @Test
    void serviceAccountCarriesTheIrsaRole() {
        String arn = "arn:aws:iam::123456789012:role/gpu-dev-bot";
        var rendered = Chart.render(Map.of("serviceAccount.roleArn", arn));

        assertThat(rendered.only(ServiceAccount.class).getMetadata().getAnnotations())
                .containsEntry("eks.amazonaws.com/role-arn", arn);
        assertThat(rendered.only(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("gpu-dev-bot");
    }

    private static Container bot(Rendered rendered) {
        return rendered.only(Deployment.class).getSpec().getTemplate().getSpec().getContainers().getFirst();
    }

    private static List<String> envNames(Rendered rendered) {
        return bot(rendered).getEnv().stream().map(EnvVar::getName).toList();
    }
}
