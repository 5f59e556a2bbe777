package dev.gpudev.adapters.kubernetes.server;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.port.ServerLog;

/**
 * {@code /gpu logs}: the Kubernetes events of a server's pods (every rank: scheduling, image pulls, mounts, restarts)
 * and the last lines of rank 0's {@code dev} container log, read from the API server when asked (RBAC: {@code pods/log}
 * get, {@code events} list). Each read is one request, bounded by the client's request timeout.
 */
public final class Logs {
    /** The most lines one read asks for, whatever the caller wants. */
    public static final int MAX_LINES = 500;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final KubernetesClient client;
    private final String namespace;

    public Logs(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public ServerLog read(Reservation r, int lines) {
        int wanted = Math.clamp(lines, 1, MAX_LINES);
        List<String> notes = new ArrayList<>();
        List<String> events = new ArrayList<>();
        int ranks = Math.max(1, r.nodes().size());
        for (int rank = 0; rank < ranks; rank++) {
            String pod = Labels.podName(r.id(), rank);
            try {
                client.v1().events().inNamespace(namespace).withField("involvedObject.name", pod).list().getItems().stream()
                        .filter(e -> e.getInvolvedObject() != null && pod.equals(e.getInvolvedObject().getName()))
                        .sorted(Comparator.comparing(Logs::when))
                        .map(e -> line(e, ranks > 1 ? "rank " + (pod.substring(pod.lastIndexOf('-') + 1)) + "  " : ""))
                        .forEach(events::add);
            } catch (KubernetesClientException e) {
                notes.add("the events could not be read (" + reason(e) + ")");
            }
        }
        List<String> log = List.of();
        boolean truncated = false;
        try {
            String text = client.pods().inNamespace(namespace).withName(Labels.podName(r.id(), 0))
                    .inContainer(ServerObjects.CONTAINER).tailingLines(wanted + 1).getLog();
            List<String> all = text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split("\r?\n", -1));
            if (!all.isEmpty() && all.getLast().isEmpty()) {
                all = all.subList(0, all.size() - 1);
            }
            truncated = all.size() > wanted;
            log = all.subList(Math.max(0, all.size() - wanted), all.size());
        } catch (KubernetesClientException e) {
            notes.add(e.getCode() == 404 ? "the server's pod is gone, and its log with it"
                    : e.getCode() == 400 ? "its container has not started yet, so it has no log"
                    : "the log could not be read (" + reason(e) + ")");
        }
        return new ServerLog(events, log, truncated, String.join("; ", notes));
    }

    private static Instant when(Event e) {
        for (String t : new String[] {e.getLastTimestamp(), e.getEventTime() == null ? null : e.getEventTime().getTime(), e.getFirstTimestamp(),
                e.getMetadata() == null ? null : e.getMetadata().getCreationTimestamp()}) {
            if (t != null && !t.isBlank()) {
                try {
                    return Instant.parse(t);
                } catch (RuntimeException ignored) {
                    // another format: try the next field
                }
            }
        }
        return Instant.EPOCH;
    }

    private static String line(Event e, String rank) {
        Instant at = when(e);
        String count = e.getCount() != null && e.getCount() > 1 ? " (x" + e.getCount() + ")" : "";
        String message = e.getMessage() == null ? "" : e.getMessage().strip().replaceAll("\\s+", " ");
        return (at.equals(Instant.EPOCH) ? "--:--:--" : TIME.format(at)) + "  " + rank + pad(e.getReason()) + "  " + message + count;
    }

    private static String pad(String reason) {
        String s = reason == null ? "" : reason;
        return s.length() >= 16 ? s : s + " ".repeat(16 - s.length());
    }

    private static String reason(KubernetesClientException e) {
        return e.getCode() > 0 ? "HTTP " + e.getCode() : "the Kubernetes API did not answer";
    }
}
