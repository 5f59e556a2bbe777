package dev.gpudev.scheduler.model;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** The GPU types this deployment offers, looked up by name or alias, case-insensitively. */
public record GpuCatalog(List<GpuType> types) {
    public GpuCatalog {
        types = List.copyOf(types);
        Set<String> seen = new HashSet<>();
        for (GpuType t : types) {
            for (String n : Stream.concat(Stream.of(t.name()), t.aliases().stream()).toList()) {
                if (!seen.add(n)) {
                    throw new IllegalArgumentException("GPU type name or alias '" + n + "' is used twice in the catalog");
                }
            }
        }
    }

    /** The defaults of DESIGN.md: h100, h200, b200, a100 with 8 GPUs per node; l4, t4 with 4. */
    public static GpuCatalog defaults() {
        return new GpuCatalog(List.of(
                type("h100", Set.of("p5"), 8, "p5.48xlarge", true),
                type("h200", Set.of("p5e", "p5en"), 8, "p5en.48xlarge", true),
                type("b200", Set.of("p6"), 8, "p6-b200.48xlarge", true),
                type("a100", Set.of("p4d", "p4"), 8, "p4d.24xlarge", true),
                type("l4", Set.of("g6"), 4, "g6.12xlarge", false),
                type("t4", Set.of("g4dn"), 4, "g4dn.12xlarge", false)));
    }

    private static GpuType type(String name, Set<String> aliases, int perNode, String instance, boolean multi) {
        return new GpuType(name, aliases, perNode, instance, Map.of("node.kubernetes.io/instance-type", instance), multi);
    }

    public Optional<GpuType> find(String typed) {
        return types.stream().filter(t -> t.answersTo(typed)).findFirst();
    }

    public GpuType require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown GPU type " + name));
    }

    public List<String> names() {
        return types.stream().map(GpuType::name).toList();
    }

    /** The catalog name closest to a mistyped one ({@code h10} -> {@code h100}), if any is close. */
    public Optional<String> closest(String typed) {
        String t = typed.toLowerCase(Locale.ROOT);
        return types.stream()
                .flatMap(g -> Stream.concat(Stream.of(g.name()), g.aliases().stream()).map(n -> Map.entry(g.name(), distance(t, n))))
                .filter(e -> e.getValue() <= Math.max(1, t.length() / 2))
                .min(Comparator.comparingInt(Map.Entry<String, Integer>::getValue))
                .map(Map.Entry::getKey);
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] swap = prev;
            prev = cur;
            cur = swap;
        }
        return prev[b.length()];
    }
}
