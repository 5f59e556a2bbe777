package dev.gpudev.adapters.telemetry;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gpudev.scheduler.model.ReservationId;

/**
 * From the labels DCGM attaches to a series to our reservation and GPU. With Kubernetes mapping on
 * (DCGM_EXPORTER_KUBERNETES=true) the exporter labels each GPU in use with {@code pod}, {@code namespace} and
 * {@code container}; when Prometheus scrapes it through a ServiceMonitor those collide with the exporter pod's own
 * target labels and arrive as {@code exported_pod} and {@code exported_namespace}, which then win. A server's pod is
 * named {@code gpu-dev-<reservation>-<rank>} (the Kubernetes adapter's {@code Labels.podName}); DCGM does not copy pod
 * labels by default, so the name, in the configured namespace, is what ties a GPU to a reservation.
 */
final class DcgmLabels {
    static final String UTIL = "DCGM_FI_DEV_GPU_UTIL";
    static final String MEMORY = "DCGM_FI_DEV_FB_USED";
    private static final Pattern POD = Pattern.compile("gpu-dev-([a-z0-9]{1,16}-[0-9a-f]{4,12})-\\d+");

    private DcgmLabels() {
    }

    static Optional<ReservationId> reservation(Map<String, String> labels, String namespace) {
        boolean exported = labels.containsKey("exported_pod");
        String pod = labels.getOrDefault(exported ? "exported_pod" : "pod", "");
        String ns = labels.getOrDefault(exported ? "exported_namespace" : "namespace", "");
        Matcher m = POD.matcher(pod);
        return ns.equals(namespace) && m.matches() ? Optional.of(new ReservationId(m.group(1))) : Optional.empty();
    }

    /** The GPU's UUID, unique across the cluster; else its host and index. */
    static String gpu(Map<String, String> labels) {
        String uuid = labels.getOrDefault("UUID", "");
        return !uuid.isBlank() ? uuid : labels.getOrDefault("Hostname", "?") + "/" + labels.getOrDefault("gpu", "?");
    }
}
