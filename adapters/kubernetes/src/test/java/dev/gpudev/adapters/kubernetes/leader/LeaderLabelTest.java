package dev.gpudev.adapters.kubernetes.leader;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The leader's label and deletion cost on its own pod, on the mock API server (JSON merge patches). */
@EnableKubernetesMockClient(crud = true)
class LeaderLabelTest {
    static KubernetesClient client;
    private static final Map<String, String> APP = Map.of("app.kubernetes.io/name", "gpu-dev-bot", "pod-template-hash", "abc");

    private static void pod(String name, Map<String, String> labels) {
        client.pods().inNamespace("gpu-dev").resource(new PodBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("bot").withImage("gpu-dev-bot").endContainer().endSpec().build()).create();
    }

    private static Pod get(String name) {
        return client.pods().inNamespace("gpu-dev").withName(name).get();
    }

    private static boolean marked(String name) {
        return LeaderLabel.LEADER.equals(get(name).getMetadata().getLabels().get(LeaderLabel.KEY));
    }

    @Test
    void theLeaderMarksItsOwnPodAndAFollowersPodStaysUnmarked() {
        pod("bot-a", APP);
        pod("bot-b", APP);
        LeaderLabel a = new LeaderLabel(client, "gpu-dev", "bot-a");
        LeaderLabel b = new LeaderLabel(client, "gpu-dev", "bot-b");
        try (LeaderElection ea = new LeaderElection(client, "gpu-dev", "bot-lease", "bot-a", LeaderElectionTest.KEPT, a::mark, () -> { });
             LeaderElection eb = new LeaderElection(client, "gpu-dev", "bot-lease", "bot-b", LeaderElectionTest.KEPT, b::mark, () -> { })) {
            ea.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> marked("bot-a"));
            eb.start();
            assertThat(eb.leading()).isFalse();
            assertThat(get("bot-b").getMetadata().getLabels()).doesNotContainKey(LeaderLabel.KEY).containsAllEntriesOf(APP);
            assertThat(get("bot-a").getMetadata().getLabels()).containsAllEntriesOf(APP);
            assertThat(get("bot-a").getMetadata().getAnnotations()).containsEntry(LeaderLabel.DELETION_COST, "1000");

            ea.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> marked("bot-b"));
        }
    }

    @Test
    void aRestartedReplicaClearsTheMarkItsPodKept() {
        pod("bot-c", APP);
        new LeaderLabel(client, "gpu-dev", "bot-c").mark();
        assertThat(marked("bot-c")).isTrue();

        new LeaderLabel(client, "gpu-dev", "bot-c").clear();

        Pod pod = get("bot-c");
        assertThat(pod.getMetadata().getLabels()).doesNotContainKey(LeaderLabel.KEY).containsAllEntriesOf(APP);
        assertThat(pod.getMetadata().getAnnotations()).doesNotContainKey(LeaderLabel.DELETION_COST);
    }

    @Test
    void clearingAPodThatIsNotThereSaysWhatToFix() {
        assertThatThrownBy(() -> new LeaderLabel(client, "gpu-dev", "no-such-pod").clear())
                .hasMessageContaining("gpu-dev/no-such-pod").hasMessageContaining("POD_NAME");
    }

    @Test
    void markingRetriesUntilItSucceedsAndStopsWhenNoLongerLeading() throws Exception {
        LeaderLabel label = new LeaderLabel(client, "gpu-dev", "bot-late");
        AtomicInteger asked = new AtomicInteger();
        Thread marking = Thread.ofVirtual().start(() -> label.markWhile(() -> asked.incrementAndGet() > 0, Duration.ofMillis(20)));
        await().atMost(Duration.ofSeconds(10)).until(() -> asked.get() >= 2); // the first attempt found no pod
        pod("bot-late", APP);
        await().atMost(Duration.ofSeconds(10)).until(() -> marked("bot-late"));
        marking.join(Duration.ofSeconds(10));
        assertThat(marking.isAlive()).isFalse();

        AtomicBoolean leading = new AtomicBoolean(false);
        pod("bot-gone", APP);
        new LeaderLabel(client, "gpu-dev", "bot-gone").markWhile(leading::get, Duration.ofMillis(20));
        assertThat(get("bot-gone").getMetadata().getLabels()).doesNotContainKey(LeaderLabel.KEY);
    }
}
