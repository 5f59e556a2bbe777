package dev.gpudev.adapters.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The recorded answers under {@code src/test/resources/telemetry/}. No cluster or Prometheus runs here, so they were
 * written out in the documented formats with realistic values, not captured:
 * <ul>
 *   <li>{@code prometheus-*.json}: the Prometheus HTTP API envelope, {@code matrix} and {@code vector} results with
 *       {@code [unix seconds, "value as string"]} pairs, "NaN" values, and the error envelope
 *       ({@code status, errorType, error}) as documented at https://prometheus.io/docs/prometheus/latest/querying/api/
 *       (Expression queries, Range queries, Format overview). The labels of the range answers are those of the GPU
 *       Operator's ServiceMonitor: the exporter pod's target labels ({@code pod="nvidia-dcgm-exporter-..."},
 *       {@code namespace="gpu-operator"}, {@code job}, {@code instance}) push DCGM's pod mapping to
 *       {@code exported_pod}, {@code exported_namespace}, {@code exported_container}; the instant answer is the
 *       {@code honorLabels: true} variant where DCGM's {@code pod}/{@code namespace} arrive as they are.</li>
 *   <li>{@code dcgm-exporter-metrics.txt}: a dcgm-exporter {@code /metrics} page of one p5.48xlarge node (8 x H100) with
 *       Kubernetes pod mapping on, in the shape of NVIDIA's documentation
 *       (https://docs.nvidia.com/datacenter/cloud-native/gpu-telemetry/latest/dcgm-exporter.html, and the
 *       NVIDIA/dcgm-exporter README): {@code # HELP}/{@code # TYPE} per family with the help texts of its
 *       default-counters.csv, labels {@code gpu, UUID, pci_bus_id, device, modelName, Hostname,
 *       DCGM_FI_DRIVER_VERSION, container, namespace, pod}, and a GPU no pod holds with those three labels empty
 *       (as in published {@code curl :9400/metrics} output).</li>
 * </ul>
 */
final class Recorded {
    private Recorded() {
    }

    static String text(String name) {
        try (InputStream in = Recorded.class.getResourceAsStream("/telemetry/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded answer " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
