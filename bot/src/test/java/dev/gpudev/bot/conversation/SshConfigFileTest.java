package dev.gpudev.bot.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.app.Servers;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.testing.Fixtures;

class SshConfigFileTest {
    static Servers.Server server(String id, String name, String host, int port, List<String> ranks, String... nodes) {
        Reservation r = Reservation.queued(new ReservationId(id), Fixtures.ANA, "h100", 8 * nodes.length, Duration.ofHours(2),
                        new RequestOptions(false, List.of(), name, null), Fixtures.T0)
                .provisioning(Arrays.stream(nodes).map(NodeName::new).toList(), Fixtures.T0)
                .active(new ServerAccess(host, port, "dev", null), Fixtures.T0);
        return new Servers.Server(r, ranks);
    }

    @Test
    void eachServerIsAHostByIdAndNameAndEachFurtherRankJumpsThroughRankZero() {
        String file = SshConfigFile.of(List.of(
                server("h100-0a01", "llama", "3.14.15.92", 30022, List.of("gpu-dev-h100-0a01-1.gpu-dev-h100-0a01-nodes"), "n1", "n2"),
                server("h100-0a02", null, "h100-3.gpu.example.com", 22, List.of(), "n3")), Fixtures.T0);

        assertThat(file).contains("""
                Host h100-0a01 llama
                  HostName 3.14.15.92
                  Port 30022
                  User dev
                  HostKeyAlias h100-0a01
                  StrictHostKeyChecking accept-new
                  UserKnownHostsFile ~/.ssh/known_hosts.gpu-dev
                Host h100-0a01-rank1
                  HostName gpu-dev-h100-0a01-1.gpu-dev-h100-0a01-nodes
                  Port 22
                  User dev
                  ProxyJump h100-0a01
                  HostKeyAlias h100-0a01-rank1
                """).contains("Host h100-0a02\n  HostName h100-3.gpu.example.com\n  Port 22\n");
        assertThat(file.lines().filter(l -> l.startsWith("Host "))).hasSize(3);
        assertThat(file.lines().filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("Host ")))
                .allMatch(l -> l.startsWith("  "));
    }

    /** Values ssh would read as more than one token (a name from before names were checked, a host from a cluster) are never written. */
    @Test
    void nothingThatCouldAddAnOptionIsWritten() {
        String file = SshConfigFile.of(List.of(
                server("h100-0b01", "x ProxyCommand=evil", "10.0.0.1", 22, List.of(), "n1"),
                server("h100-0b02", null, "10.0.0.2\n  ProxyCommand evil", 22, List.of(), "n2"),
                server("h100-0b03", null, "10.0.0.3", 22, List.of("peer with space"), "n3", "n4")), Fixtures.T0);

        assertThat(file).doesNotContain("evil").doesNotContain("peer with space").contains("Host h100-0b01\n")
                .doesNotContain("h100-0b02").doesNotContain("h100-0b03-rank1").contains("Host h100-0b03\n");
    }
}
