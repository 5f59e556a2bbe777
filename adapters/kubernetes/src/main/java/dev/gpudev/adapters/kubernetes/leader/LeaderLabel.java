package dev.gpudev.adapters.kubernetes.leader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.ResourceNotFoundException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * The leader's mark on its own pod: the label the chart's Service selects, so Slack's requests reach only the leader,
 * and a high pod-deletion-cost, so a rollout's ReplicaSet removes followers first and leadership moves once. A replica
 * clears the mark when it starts, before it can be Ready: a container restarted after losing the lease keeps its pod,
 * and with it the pod's labels.
 */
public final class LeaderLabel {
    public static final String KEY = "gpu-dev-bot/role";
    public static final String LEADER = "leader";
    public static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
    public static final String LEADER_DELETION_COST = "1000";
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final System.Logger LOG = System.getLogger(LeaderLabel.class.getName());

    private final KubernetesClient client;
    private final String namespace;
    private final String pod;

    /** @param pod this replica's pod ({@code POD_NAME} from the downward API) in {@code namespace} */
    public LeaderLabel(KubernetesClient client, String namespace, String pod) {
        if (namespace.isBlank() || pod.isBlank()) {
            throw new IllegalArgumentException("the leader label needs this pod's name and namespace (POD_NAME, POD_NAMESPACE)");
        }
        this.client = client;
        this.namespace = namespace;
        this.pod = pod;
    }

    /** Removes the mark; fails with what to fix when the API refuses, since a stale mark would send Slack to a follower. */
    public void clear() {
        try {
            // JSON Patch removes: the mock API server keeps a key that a merge patch sets to null
            Pod own = client.pods().inNamespace(namespace).withName(pod).require();
            List<String> removals = new ArrayList<>();
            if (own.getMetadata().getLabels() != null && own.getMetadata().getLabels().containsKey(KEY)) {
                removals.add("{\"op\":\"remove\",\"path\":\"/metadata/labels/" + pointer(KEY) + "\"}");
            }
            if (own.getMetadata().getAnnotations() != null && own.getMetadata().getAnnotations().containsKey(DELETION_COST)) {
                removals.add("{\"op\":\"remove\",\"path\":\"/metadata/annotations/" + pointer(DELETION_COST) + "\"}");
            }
            if (!removals.isEmpty()) {
                client.pods().inNamespace(namespace).withName(pod).patch(PatchContext.of(PatchType.JSON), "[" + String.join(",", removals) + "]");
            }
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("could not clear the leader label: there is no pod " + namespace + "/" + pod
                    + "; POD_NAME and POD_NAMESPACE must name this pod (the chart sets them from the downward API)", e);
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("could not clear the leader label on pod " + namespace + "/" + pod + ": "
                    + hint(e), e);
        }
    }

    public void mark() {
        String merge = "{\"metadata\":{\"labels\":{\"" + KEY + "\":\"" + LEADER + "\"},\"annotations\":{\""
                + DELETION_COST + "\":\"" + LEADER_DELETION_COST + "\"}}}";
        client.pods().inNamespace(namespace).withName(pod).patch(PatchContext.of(PatchType.JSON_MERGE), merge);
    }

    /** Marks the pod, retrying with backoff while {@code leading}: until it succeeds the Service has no endpoint. */
    public void markWhile(BooleanSupplier leading, Duration backoff) {
        Duration wait = backoff;
        while (leading.getAsBoolean()) {
            try {
                mark();
                LOG.log(System.Logger.Level.INFO, "pod " + pod + " labelled " + KEY + "=" + LEADER + ": Slack's requests come here");
                return;
            } catch (KubernetesClientException e) {
                LOG.log(System.Logger.Level.WARNING, "could not label pod " + namespace + "/" + pod + " as the leader ("
                        + hint(e) + "); trying again in " + wait.toMillis() + " ms");
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            wait = wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
        }
    }

    private static String pointer(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private String hint(KubernetesClientException e) {
        return switch (e.getCode()) {
            case 403 -> "forbidden; the bot's Role in " + namespace + " needs get and patch on pods";
            case 404 -> "no such pod; POD_NAME and POD_NAMESPACE must name this pod (the chart sets them from the downward API)";
            default -> e.getMessage();
        };
    }
}
