package dev.gpudev.deploy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

/**
 * A {@code helm upgrade} and node drains complete under the rendered chart, with one leader at a time and Slack's
 * requests only ever reaching it. {@link Fleet} plays the controllers and the eviction API; the bot's side of the
 * contract ({@link Fleet.Bot#READY_WHEN_SYNCED}) is held by the bot's and the adapter's own tests.
 */
class RolloutTest {
    private static final Fleet.Bot BOT = Fleet.Bot.READY_WHEN_SYNCED;
    private static final List<String> NODES = List.of("node-a", "node-b", "node-c");
    private static final int TICKS = 40;

    static Stream<Named<Map<String, Object>>> charts() {
        return Stream.of(
                named("1 replica", Map.of("replicaCount", 1)),
                named("2 replicas (default)", Map.of()),
                named("3 replicas", Map.of("replicaCount", 3)),
                named("2 replicas, minAvailable 1 from an older values file", Map.of("podDisruptionBudget.minAvailable", 1)));
    }

    private static Fleet installed(Map<String, Object> sets) {
        return new Fleet(Chart.render(sets), BOT, NODES).installed();
    }

    @ParameterizedTest
    @MethodSource("charts")
    void helmUpgradeRollsOutWithOneLeaderAtATime(Map<String, Object> sets) {
        Fleet fleet = installed(sets);
        assertThat(fleet.leaders()).hasSize(1);
        int outageBefore = fleet.ticksWithoutEndpoint;

        assertThat(fleet.upgrade(TICKS)).as("rollout of %s completes", fleet.pods()).isTrue();
        settle(fleet);
        assertThat(fleet.mostLeaders).isEqualTo(1);
        // the leader goes last, so leadership moves once, to a new pod, and Slack waits one handover
        assertThat(fleet.failovers).isEqualTo(1);
        assertThat(fleet.leader()).hasValueSatisfying(l -> assertThat(l.revision).isEqualTo(2));
        assertThat(fleet.ticksWithoutEndpoint - outageBefore).isLessThanOrEqualTo(1);
        assertThat(fleet.endpoints()).containsExactlyElementsOf(fleet.leaders());
        assertThat(fleet.strayEndpoints).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("charts")
    void drainingTheLeadersNodeCompletes(Map<String, Object> sets) {
        Fleet fleet = installed(sets);
        String node = fleet.leader().orElseThrow().node;

        assertThat(fleet.drain(node, TICKS)).as("drain of %s among %s completes", node, fleet.pods()).isTrue();
        settle(fleet);
        assertThat(fleet.pods()).noneMatch(p -> p.node.equals(node) && !p.terminating);
        assertThat(fleet.mostLeaders).isEqualTo(1);
        assertThat(fleet.strayEndpoints).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("charts")
    void drainingEveryNodeInTurnCompletes(Map<String, Object> sets) {
        Fleet fleet = installed(sets);

        for (String node : NODES) {
            assertThat(fleet.drain(node, TICKS)).as("drain of %s among %s completes", node, fleet.pods()).isTrue();
            settle(fleet);
        }
        assertThat(fleet.mostLeaders).isEqualTo(1);
        assertThat(fleet.strayEndpoints).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("charts")
    void drainingANodeThatHoldsEveryReplicaCompletes(Map<String, Object> sets) {
        Fleet fleet = new Fleet(Chart.render(sets), BOT, NODES).allOn("node-a").installed();
        assertThat(fleet.pods()).allMatch(p -> p.node.equals("node-a"));

        assertThat(fleet.drain("node-a", TICKS)).as("drain of %s completes", fleet.pods()).isTrue();
        settle(fleet);
        assertThat(fleet.mostLeaders).isEqualTo(1);
    }

    @Test
    void theServiceSelectsOnlyTheLeadersPod() {
        var rendered = Chart.render(Map.of("replicaCount", 3));
        Fleet fleet = new Fleet(rendered, BOT, NODES).installed();

        assertThat(rendered.only(Service.class).getSpec().getSelector()).containsEntry(Fleet.LEADER_LABEL, "leader");
        assertThat(fleet.pods()).hasSize(3).allMatch(fleet::ready);
        assertThat(fleet.endpoints()).singleElement().isEqualTo(fleet.leader().orElseThrow());
    }

    /** The model has teeth: the old readiness (only the leader Ready) blocks the same rollout and drain. */
    @Test
    void readyOnlyWhenLeadingBlocksTheUpgradeAndTheLeadersDrain() {
        var rendered = Chart.render(Map.of());
        Fleet upgraded = new Fleet(rendered, Fleet.Bot.READY_WHEN_LEADING, NODES).installed();
        Fleet drained = new Fleet(rendered, Fleet.Bot.READY_WHEN_LEADING, NODES).installed();

        assertThat(upgraded.upgrade(TICKS)).isFalse();
        assertThat(drained.drain(drained.leader().orElseThrow().node, TICKS)).isFalse();
    }

    /** After a drain the lease finds its next holder within a tick or two: one leader, and it is the endpoint. */
    private static void settle(Fleet fleet) {
        for (int i = 0; i < 3; i++) {
            fleet.tick();
        }
        assertThat(fleet.leaders()).hasSize(1);
        assertThat(fleet.endpoints()).containsExactlyElementsOf(fleet.leaders());
    }
}
