package dev.gpudev.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module's storage and SSH reachability, read from its HCL (no provider can be downloaded here, so no plan): the
 * StorageClass the bot's default names, the snapshot controller, and the NodePort rule limited to the client CIDRs.
 */
class InfraStorageTest {
    private static final Path MODULE = Infra.MODULE;

    @Test
    void theHomeStorageClassIsEbsGp3MadeWhereTheServerLands() throws IOException {
        String ebs = Files.readString(MODULE.resolve("ebs.tf"));
        String sc = block(ebs, "resource \"kubernetes_storage_class_v1\" \"home\"");
        assertThat(sc).contains("storage_provisioner = \"ebs.csi.aws.com\"").contains("volume_binding_mode    = \"WaitForFirstConsumer\"")
                .contains("reclaim_policy         = \"Retain\"").contains("type      = \"gp3\"").contains("name = var.home_storage_class");
        assertThat(ebs).contains("addon_name               = \"aws-ebs-csi-driver\"").contains("addon_name   = \"snapshot-controller\"")
                .contains("AmazonEBSCSIDriverPolicy").contains("tolerateAllTaints = true");
        assertThat(Files.readString(MODULE.resolve("variables.tf"))).contains("variable \"home_storage_class\"")
                .contains("default     = \"gpu-dev-home\"");
    }

    @Test
    void nodePortsAreOpenOnlyToTheConfiguredClientCidrs() throws IOException {
        String rule = block(Files.readString(MODULE.resolve("node_groups.tf")),
                "resource \"aws_vpc_security_group_ingress_rule\" \"ssh_node_ports\"");
        assertThat(rule).contains("for_each = toset(var.ssh_client_cidrs)").contains("from_port         = 30000")
                .contains("to_port           = 32767").contains("ip_protocol       = \"tcp\"").doesNotContain("0.0.0.0/0");
        String variables = Files.readString(MODULE.resolve("variables.tf"));
        assertThat(block(variables, "variable \"ssh_client_cidrs\"")).contains("default     = []").contains("cidrhost");
        for (String example : new String[] {"test-cluster", "production"}) {
            assertThat(Files.readString(MODULE.resolve("../../examples/" + example + "/main.tf")))
                    .contains("ssh_client_cidrs        = var.ssh_client_cidrs");
        }
    }

    /** The text of a top-level block, from its header to the closing brace at column 0. */
    private static String block(String hcl, String header) {
        Matcher m = Pattern.compile("(?s)" + Pattern.quote(header) + " \\{\\n(.*?)\\n}").matcher(hcl);
        assertThat(m.find()).as(header).isTrue();
        return m.group(1);
    }
}
