package dev.gpudev.bot.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code /gpu reserve} requests of the benchmark, and a simulated cluster big enough to start all of them,
 * so each goes through validation, the store and a placement by the engine instead of piling up in a queue.
 * Request {@code i} cycles over four 8-GPU types, then 1/2/4/8 GPUs, then three durations longer than any run.
 */
record ReserveMix(int users) {
    private static final List<String> TYPES = List.of("h100", "h200", "b200", "a100");
    private static final List<Integer> COUNTS = List.of(1, 2, 4, 8);
    private static final List<String> DURATIONS = List.of("2h", "4h", "8h");
    private static final int GPUS_PER_NODE = 8;

    ReserveMix {
        if (users < 1) {
            throw new IllegalArgumentException("users must be positive");
        }
    }

    String type(int i) {
        return TYPES.get(i % TYPES.size());
    }

    int gpus(int i) {
        return COUNTS.get(i / TYPES.size() % COUNTS.size());
    }

    String text(int i) {
        return "reserve " + type(i) + " " + gpus(i) + " " + DURATIONS.get(i / (TYPES.size() * COUNTS.size()) % DURATIONS.size());
    }

    String user(int i) {
        return "U%07d".formatted(i % users);
    }

    /** The bot's config for {@code requests} requests: nodes for all of them (+10 % for best-fit leftovers), a per-user limit none reaches. */
    String configYaml(int requests) {
        Map<String, Integer> gpus = new LinkedHashMap<>();
        for (int i = 0; i < requests; i++) {
            gpus.merge(type(i), gpus(i), Integer::sum);
        }
        StringBuilder yaml = new StringBuilder("cluster:\n  simulated:\n    ready-delay: PT1S\n    nodes:\n");
        gpus.forEach((type, total) -> {
            int nodes = (int) Math.ceil(total * 1.1 / GPUS_PER_NODE) + 2;
            for (int n = 1; n <= nodes; n++) {
                yaml.append("      - {name: %s-%05d, type: %s, gpus: %d, placement-group: pg-%s}\n".formatted(type, n, type, GPUS_PER_NODE, type));
            }
        });
        int perUser = (requests + users - 1) / users;
        return yaml.append("limits:\n  max-gpus-per-user: ").append(perUser * GPUS_PER_NODE + GPUS_PER_NODE).append('\n').toString();
    }
}
