package dev.gpudev.deploy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the GPU nodes give the servers, read from the module's HCL (no provider can be downloaded here, so no plan):
 * image pulls only from the allow-listed ECR repositories and EKS's registries, and a locked-memory limit for EFA that
 * makes {@code IPC_LOCK} unnecessary.
 */
class InfraNodeSecurityTest {
    private static final Path MODULE = Infra.MODULE;

    @Test
    void theNodeRolePullsOnlyAllowListedRepositoriesAndEksImages() throws IOException {
        String iam = Files.readString(MODULE.resolve("iam.tf"));
        assertThat(iam).doesNotContain("\"AmazonEC2ContainerRegistryReadOnly\"").doesNotContain("\"AmazonEC2ContainerRegistryPullOnly\"");
        Matcher pull = Pattern.compile("(?s)sid = \"PullAllowedImages\"(.*?)\\n  }").matcher(iam);
        assertThat(pull.find()).isTrue();
        String resources = pull.group(1).substring(pull.group(1).indexOf("resources"));
        assertThat(resources).contains("var.node_ecr_repositories").contains("var.eks_registry_accounts")
                .doesNotContain("\"*\"");
        assertThat(Files.readString(MODULE.resolve("variables.tf")))
                .contains("variable \"node_ecr_repositories\"").contains("default     = []");
    }

    @Test
    void gpuNodesGiveContainersALockedMemoryLimitForEfa() throws IOException {
        String main = Files.readString(MODULE.resolve("main.tf"));
        Matcher heredoc = Pattern.compile("(?s)node_user_data = <<-EOT\\n(.*?)\\n\\s*EOT").matcher(main);
        assertThat(heredoc.find()).isTrue();
        String userData = heredoc.group(1).stripIndent();
        String nodeConfig = userData.substring(userData.indexOf("apiVersion:"), userData.lastIndexOf("--GPUDEV--"));
        Map<?, ?> doc = Serialization.unmarshal(nodeConfig, Map.class);
        assertThat(doc.get("kind")).isEqualTo("NodeConfig");
        List<?> rlimits = (List<?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) doc.get("spec")).get("containerd"))
                .get("baseRuntimeSpec")).get("process")).get("rlimits");
        Map<?, ?> memlock = rlimits.stream().map(r -> (Map<?, ?>) r).filter(r -> "RLIMIT_MEMLOCK".equals(r.get("type"))).findFirst().orElseThrow();
        for (String bound : List.of("soft", "hard")) {
            BigInteger value = new BigInteger(memlock.get(bound).toString());
            // far above any node's memory, and exact as a double (nodeadm merges the spec through JSON)
            assertThat(value).isGreaterThanOrEqualTo(BigInteger.TWO.pow(50)).isLessThanOrEqualTo(BigInteger.TWO.pow(53));
        }
        assertThat(rlimits).anySatisfy(r -> assertThat(((Map<?, ?>) r).get("type")).isEqualTo("RLIMIT_NOFILE"));
        assertThat(Files.readString(MODULE.resolve("node_groups.tf"))).contains("user_data = base64encode(local.node_user_data)");
    }
}
