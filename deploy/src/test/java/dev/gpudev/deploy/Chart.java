package dev.gpudev.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** The chart under test, rendered by the real Helm (helm-java) and parsed by fabric8. */
final class Chart {
    static final String RELEASE = "gpu-dev-bot";
    static final String NAMESPACE = "gpu-dev";
    static final String SERVERS = "gpu-dev-servers";
    static final Path DIR = Path.of(System.getProperty("gpudev.chart.dir", "../helm/gpu-dev-bot")).toAbsolutePath().normalize();
    static final KubernetesSerialization YAML = new KubernetesSerialization();

    private Chart() {
    }

    static Helm helm() {
        if (!Files.isRegularFile(DIR.resolve("Chart.yaml"))) {
            throw new IllegalStateException("no chart at " + DIR);
        }
        return new Helm(DIR);
    }

    /** {@code helm template} with {@code --set key=value} for each entry. */
    static String template(Map<String, ?> sets) {
        var template = helm().template().withName(RELEASE).withNamespace(NAMESPACE);
        sets.forEach(template::set);
        return template.call();
    }

    private static final Map<Map<String, ?>, Rendered> RENDERED = new ConcurrentHashMap<>();

    /** Rendered once per distinct set of values: Helm is deterministic and each call costs ~0.3 s. */
    static Rendered render(Map<String, ?> sets) {
        return RENDERED.computeIfAbsent(Map.copyOf(sets), s -> new Rendered(parse(template(s))));
    }

    static Rendered render() {
        return render(Map.of());
    }

    @SuppressWarnings("unchecked")
    static List<HasMetadata> parse(String manifests) {
        Object parsed = YAML.unmarshal(manifests);
        return parsed instanceof List<?> list ? (List<HasMetadata>) list : List.of((HasMetadata) parsed);
    }
}
