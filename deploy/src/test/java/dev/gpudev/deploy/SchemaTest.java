package dev.gpudev.deploy;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SchemaTest {

    static Stream<Arguments> badValues() {
        return Stream.of(
                arguments(named("no replicas", Map.of("replicaCount", 0)), "replicaCount: Must be greater than or equal to 1"),
                arguments(named("unknown top-level key (typo)", Map.of("replicas", 3)), "Additional property replicas is not allowed"),
                arguments(named("Slack mode not http|socket", Map.of("config.slack.mode", "webhook")), "config.slack.mode: config.slack.mode must be one of"),
                arguments(named("Slack token inlined in config", Map.of("config.slack.bot-token", "xoxb-1-2-3")), "config.slack: Property name of \"bot-token\" does not match"),
                arguments(named("GitHub token inlined in config", Map.of("config.github.token", "ghp_x")), "config.github: Property name of \"token\" does not match"),
                arguments(named("AWS key inlined in config",
                        Map.of("config.store.dynamodb.secret-access-key", "abc")), "config.store.dynamodb: Property name of"),
                arguments(named("Slack token inlined under secrets", Map.of("secrets.slack.botToken", "xoxb-1-2-3")), "Additional property botToken is not allowed"),
                arguments(named("secret env var as plain extraEnv",
                        Map.of("extraEnv[0].name", "SLACK_BOT_TOKEN", "extraEnv[0].value", "xoxb-1")), "extraEnv.0.name"),
                arguments(named("client range not a CIDR", Map.of("networkPolicy.clientCidrs[0]", "everyone")), "networkPolicy.clientCidrs.0: Does not match pattern"),
                arguments(named("instance metadata not among the blocked",
                        Map.of("networkPolicy.blockedCidrs[0]", "169.254.170.23/32", "networkPolicy.blockedCidrs[1]", "10.9.9.9/32")),
                        "networkPolicy.blockedCidrs: At least one of the items must match"),
                arguments(named("servers namespace not a DNS label", Map.of("servers.namespace", "GPU_Servers")), "servers.namespace: Does not match pattern"),
                arguments(named("role ARN malformed", Map.of("serviceAccount.roleArn", "gpu-dev-bot")), "serviceAccount.roleArn: Does not match pattern"),
                arguments(named("service type unknown", Map.of("service.type", "ExternalName")), "service.type: service.type must be one of"),
                arguments(named("servers in the bot's namespace", Map.of("servers.namespace", Chart.NAMESPACE)),
                        "servers.namespace must differ"),
                arguments(named("two replicas without leader election", Map.of("config.leader-election.enabled", false)),
                        "leader-election.enabled"),
                arguments(named("one replica without leader election",
                        Map.of("replicaCount", 1, "config.leader-election.enabled", false)), "leader-election.enabled"),
                arguments(named("a budget that never allows an eviction", Map.of("podDisruptionBudget.minAvailable", 2)),
                        "podDisruptionBudget.minAvailable 2 leaves no eviction with replicaCount 2"),
                arguments(named("a percentage budget that never allows an eviction",
                        Map.of("replicaCount", 3, "podDisruptionBudget.minAvailable", "70%")), "podDisruptionBudget.minAvailable 70%"),
                arguments(named("no disruption allowed", Map.of("podDisruptionBudget.maxUnavailable", 0)),
                        "podDisruptionBudget.maxUnavailable"),
                arguments(named("ingress in socket mode",
                        Map.of("ingress.enabled", true, "ingress.host", "gpu.example.com", "config.slack.mode", "socket")),
                        "socket mode"),
                arguments(named("ingress without a host", Map.of("ingress.enabled", true)), "ingress.host"),
                arguments(named("image allow-list with a glob", Map.of("config.cluster.kubernetes.images[0]", "ghcr.io/acme/*")),
                        "config.cluster.kubernetes.images.0: Does not match pattern"));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void rejects(Map<String, Object> sets, String mentioned) {
        assertThatThrownBy(() -> Chart.template(sets)).hasMessageContaining(mentioned);
    }

    @ParameterizedTest
    @ValueSource(strings = {"test-cluster-values.yaml", "production-values.yaml"})
    void exampleValuesRender(String file) {
        var template = Chart.helm().template().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE)
                .withValuesFile(Chart.DIR.resolve("ci").resolve(file));
        var rendered = new Rendered(Chart.parse(template.call()));

        assertThat(rendered.only(Deployment.class).getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                .contains("gpu-dev-bot");
    }
}
