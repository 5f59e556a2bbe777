package dev.gpudev.bot.sandbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.SshPublicKey;
import dev.gpudev.scheduler.port.ServerLog;

/**
 * What the sandbox's servers say: the start-up events a pod on a real cluster would have, a plausible sshd log, and
 * the keys {@code /gpu edit} installed (each change a log line, as the real bootstrap's key sync writes one).
 */
final class SimulatedServers {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private final Map<String, List<String>> logs = new ConcurrentHashMap<>();
    private final Set<String> startedWithJupyter = ConcurrentHashMap.newKeySet();

    ServerLog logs(Reservation r, String image, int lines) {
        Instant at = r.updatedAt();
        String pod = "gpu-dev-" + r.id() + "-0";
        List<String> events = new ArrayList<>(List.of(
                TIME.format(at) + "  Scheduled  Successfully assigned gpu-dev/" + pod + " to " + r.nodes().getFirst(),
                TIME.format(at) + "  Pulling    Pulling image \"" + image + "\""));
        List<String> log = new ArrayList<>();
        if (r.state() == ReservationState.ACTIVE) {
            events.add(TIME.format(at) + "  Pulled     Successfully pulled image \"" + image + "\"");
            events.add(TIME.format(at) + "  Started    Started container dev");
            log.add("Server listening on 0.0.0.0 port 22.");
            log.add("Server listening on :: port 22.");
            if (startedWithJupyter.contains(r.id().value())) {
                log.add("[I ServerApp] Jupyter Server is running at: http://127.0.0.1:8888/lab?token=...");
            }
            log.addAll(logs.getOrDefault(r.id().value(), List.of()));
        }
        int from = Math.max(0, log.size() - lines);
        return new ServerLog(events, log.subList(from, log.size()), from > 0, "");
    }

    /** What nvidia-smi would say on a node of the reservation's type, and the image: the ready message's line. */
    static String about(Reservation r, String image) {
        String model = switch (r.gpuType()) {
            case "h100" -> "NVIDIA H100 80GB HBM3";
            case "h200" -> "NVIDIA H200";
            case "b200" -> "NVIDIA B200";
            case "a100" -> "NVIDIA A100-SXM4-80GB";
            default -> "NVIDIA " + r.gpuType().toUpperCase(Locale.ROOT);
        };
        return r.gpusPerNode() + " × " + model + " · driver 570.124.06 · CUDA 12.8 · image " + image;
    }

    void keysChanged(Reservation r, List<SshPublicKey> keys) {
        logs.computeIfAbsent(r.id().value(), id -> new CopyOnWriteArrayList<>())
                .add("gpu-dev: authorized_keys updated (" + keys.size() + (keys.size() == 1 ? " key" : " keys") + ")");
    }

    void started(Reservation r) {
        if (r.options().jupyter()) {
            startedWithJupyter.add(r.id().value());
        }
    }

    /** What the bootstrap's Jupyter sync writes when the token appears or goes; nothing when it is already so. */
    void jupyterSwitched(Reservation r, boolean on) {
        if (on != (r.access() != null && r.access().jupyterUrl() != null)) {
            logs.computeIfAbsent(r.id().value(), id -> new CopyOnWriteArrayList<>())
                    .add(on ? "gpu-dev: jupyter started on port 8888" : "gpu-dev: jupyter stopped");
        }
    }

    void forget(Reservation r) {
        logs.remove(r.id().value());
        startedWithJupyter.remove(r.id().value());
    }
}
