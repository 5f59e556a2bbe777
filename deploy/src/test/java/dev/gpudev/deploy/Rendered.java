package dev.gpudev.deploy;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** The objects of one {@code helm template}. */
record Rendered(List<HasMetadata> objects) {
    Rendered {
        objects = List.copyOf(objects);
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> kind, String name) {
        return all(kind).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name + " in " + names()));
    }

    <T extends HasMetadata> T only(Class<T> kind) {
        List<T> found = all(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind.getSimpleName() + ", got " + found.size());
        }
        return found.getFirst();
    }

    /** The bot's application.yaml from the ConfigMap, as nested maps. */
    @SuppressWarnings("unchecked")
    Map<String, Object> botConfig() {
        String yaml = only(ConfigMap.class).getData().get("application.yaml");
        return Chart.YAML.unmarshal(yaml, Map.class);
    }

    List<String> names() {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }
}
