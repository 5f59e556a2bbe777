package dev.gpudev.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.GpuType;

import static org.assertj.core.api.Assertions.assertThat;

/** The node groups of the infra examples describe the GPU types the bot's default catalog knows. */
class InfraCatalogTest {
    private static final Path INFRA = Infra.DIR;
    private static final Pattern GROUP = Pattern.compile("(?m)^\\s+(\\w+) = \\{([^{}]*)}");
    private static final Pattern ATTRIBUTE = Pattern.compile("(?m)^\\s*(\\w+)\\s*=\\s*(.+?)\\s*$");

    @ParameterizedTest
    @ValueSource(strings = {"test-cluster", "production"})
    void nodeGroupsMatchTheDefaultCatalog(String example) throws IOException {
        List<Map<String, String>> groups = nodeGroups(Files.readString(INFRA.resolve("examples").resolve(example).resolve("main.tf")));

        assertThat(groups).isNotEmpty().allSatisfy(group -> {
            GpuType type = GpuCatalog.defaults().require(unquote(group.get("gpu_type")));
            assertThat(unquote(group.get("instance_type"))).isEqualTo(type.instanceType());
            assertThat(type.nodeSelector()).containsEntry("node.kubernetes.io/instance-type", type.instanceType());
            assertThat(Integer.parseInt(group.get("gpus_per_node"))).isEqualTo(type.gpusPerNode());
            assertThat(Boolean.parseBoolean(group.getOrDefault("placement_group", "false"))).isEqualTo(type.multiNode());
        });
    }

    private static List<Map<String, String>> nodeGroups(String hcl) {
        int start = hcl.indexOf("gpu_node_groups = {");
        assertThat(start).as("gpu_node_groups in the example").isNotNegative();
        Matcher groups = GROUP.matcher(hcl.substring(start + "gpu_node_groups = {".length()));
        var found = new ArrayList<Map<String, String>>();
        while (groups.find()) {
            Map<String, String> attributes = new HashMap<>();
            Matcher a = ATTRIBUTE.matcher(groups.group(2));
            while (a.find()) {
                attributes.put(a.group(1), a.group(2));
            }
            if (attributes.containsKey("gpu_type")) {
                found.add(attributes);
            }
        }
        return found;
    }

    private static String unquote(String value) {
        return value.replaceAll("^\"|\"$", "");
    }
}
