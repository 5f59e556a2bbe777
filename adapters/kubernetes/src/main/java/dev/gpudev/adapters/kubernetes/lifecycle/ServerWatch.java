package dev.gpudev.adapters.kubernetes.lifecycle;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import org.jspecify.annotations.Nullable;

import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.adapters.kubernetes.server.Access;
import dev.gpudev.adapters.kubernetes.server.GpuFacts;
import dev.gpudev.adapters.kubernetes.server.Labels;
import dev.gpudev.adapters.kubernetes.server.ServerObjects;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.port.ClusterListener;

/**
 * Watches over the servers of this process: turns pod changes and events into progress, readiness (container
 * running and SSH answering), failures and vanished servers. Every listener call is made from one thread, in order;
 * informer handlers only hand work to that thread.
 */
public final class ServerWatch implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ServerWatch.class.getName());
    private static final int LOG_LINES = 15;
    private static final Pattern POD_NAME = Pattern.compile("gpu-dev-([a-z0-9]{1,16}-[0-9a-f]{4,12})-(\\d+)");
    private static final ClusterListener NOBODY = new ClusterListener() {
        public void serverReady(ReservationId id, ServerAccess access) { }
        public void serverFailed(ReservationId id, String reason) { }
        public void serverProgress(ReservationId id, String text) { }
        public void serverVanished(ReservationId id, String reason) { }
        public void nodesChanged(ClusterSnapshot snapshot) { }
    };

    private final KubernetesClient client;
    private final KubernetesSettings settings;
    private final SshProbe probe;
    private final Caches lookups;
    private final Map<ReservationId, Tracked> tracked = new ConcurrentHashMap<>();
    /** How long {@code nvidia-smi} in a started server may take; read while SSH is probed, so readiness never waits for it. */
    static final Duration GPU_FACTS_TIMEOUT = Duration.ofSeconds(10);
    private final ExecutorService events = Executors.newSingleThreadExecutor(daemon("gpu-dev-cluster-events"));
    private final ScheduledExecutorService probes = Executors.newScheduledThreadPool(2, daemon("gpu-dev-ssh-probe"));
    private final ExecutorService exec = Executors.newCachedThreadPool(daemon("gpu-dev-wall"));
    private final AtomicBoolean snapshotPending = new AtomicBoolean();
    private volatile ClusterListener listener = NOBODY;
    private volatile ClusterSnapshot lastSent = ClusterSnapshot.EMPTY;

    /** What the watch reads from the informers' caches. */
    public interface Caches {
        List<Pod> podsOf(ReservationId id);

        @Nullable Node node(String name);

        ClusterSnapshot snapshot();
    }

    public ServerWatch(KubernetesClient client, KubernetesSettings settings, SshProbe probe, Caches lookups) {
        this.client = client;
        this.settings = settings;
        this.probe = probe;
        this.lookups = lookups;
    }

    public void listen(ClusterListener l) {
        listener = l;
    }

    /** Watches a server just provisioned (or found again); readiness is checked at once. */
    public void track(Reservation r, String image, String jupyterToken, boolean ready) {
        tracked.compute(r.id(), (id, old) -> old != null && old.ready == ready ? old : new Tracked(r, image, jupyterToken, ready));
        post(() -> check(r.id()));
    }

    /** Reports a server that will not be started, in order with the other reports. */
    public void refuse(ReservationId id, String reason) {
        post(() -> listener.serverFailed(id, reason));
    }

    /** Stops watching: what happens to the pods from now on is expected. */
    public void untrack(ReservationId id) {
        tracked.remove(id);
    }

    public boolean tracks(ReservationId id) {
        return tracked.containsKey(id);
    }

    /** A node or pod changed: the scheduler hears about a changed snapshot once, even after a burst of changes. */
    public void capacityChanged() {
        if (snapshotPending.compareAndSet(false, true)) {
            post(() -> {
                snapshotPending.set(false);
                ClusterSnapshot now = lookups.snapshot();
                if (!now.equals(lastSent)) {
                    lastSent = now;
                    listener.nodesChanged(now);
                }
            });
        }
    }

    public void podChanged(Pod pod, boolean deleted) {
        Labels.reservationOf(pod).ifPresent(id -> post(() -> {
            Tracked t = tracked.get(id);
            if (t == null) {
                return;
            }
            String phase = pod.getStatus() == null ? "" : String.valueOf(pod.getStatus().getPhase());
            if (deleted) {
                end(id, t, "its pod " + pod.getMetadata().getName() + " was deleted (node lost, drained or removed by hand)");
            } else if (phase.equals("Failed") || phase.equals("Succeeded")) {
                String why = pod.getStatus().getReason() != null ? pod.getStatus().getReason() + ": " + pod.getStatus().getMessage()
                        : "its pod " + pod.getMetadata().getName() + " stopped (" + phase + ")";
                end(id, t, t.ready ? why : why + lastLogLines(pod));
            } else {
                check(id);
            }
        }));
    }

    public void eventSeen(Event e) {
        if (e.getInvolvedObject() == null || !"Pod".equals(e.getInvolvedObject().getKind()) || e.getInvolvedObject().getName() == null) {
            return;
        }
        Matcher m = POD_NAME.matcher(e.getInvolvedObject().getName());
        if (!m.matches()) {
            return;
        }
        ReservationId id = new ReservationId(m.group(1));
        post(() -> {
            Tracked t = tracked.get(id);
            if (t != null && !t.ready) {
                Progress.ofEvent(String.valueOf(e.getReason()), e.getMessage() == null ? "" : e.getMessage(), t.image)
                        .ifPresent(p -> report(id, t, p));
            }
        });
    }

    /**
     * Compares the live reservations with what this process watches and with the pods that exist: live servers
     * found are watched again, and ACTIVE ones (or PROVISIONING ones nobody is starting) without pods vanished.
     */
    public void adopt(Collection<Reservation> live, Map<ReservationId, String> imagesOfPods, Map<ReservationId, String> jupyterTokens) {
        for (Reservation r : live) {
            if (!r.state().holdsGpus()) {
                continue;
            }
            boolean has = imagesOfPods.containsKey(r.id());
            if (has && !tracked.containsKey(r.id())) {
                track(r, imagesOfPods.get(r.id()), jupyterTokens.getOrDefault(r.id(), ""), r.state() == ReservationState.ACTIVE);
            } else if (!has && (r.state() == ReservationState.ACTIVE || !tracked.containsKey(r.id()))) {
                tracked.remove(r.id());
                post(() -> listener.serverVanished(r.id(), "its server is gone (node lost, evicted or deleted)"));
            }
        }
    }

    /** Runs {@code wall} in the first pod of a server; best effort, never blocking the caller. */
    public void wall(Reservation r, String message) {
        String text = message.replaceAll("[\\p{Cntrl}&&[^\\n]]", " ");
        exec.execute(() -> {
            try (ExecWatch w = client.pods().inNamespace(settings.namespace()).withName(Labels.podName(r.id(), 0))
                    .inContainer(ServerObjects.CONTAINER).withReadyWaitTimeout(5_000).exec("wall", text)) {
                w.exitCode().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.log(Level.DEBUG, "could not show a message in " + r.id() + ": " + e.getMessage());
            }
        });
    }

    /** Runs on the events thread: progress from the container states, then readiness once every pod runs. */
    private void check(ReservationId id) {
        Tracked t = tracked.get(id);
        if (t == null || t.ready) {
            return;
        }
        List<Pod> pods = lookups.podsOf(id);
        for (Pod p : pods) {
            for (ContainerStatus c : containerStatuses(p)) {
                Optional<Progress> progress = Progress.ofContainer(c, t.image);
                if (progress.isPresent()) {
                    report(id, t, progress.get());
                    if (progress.get() instanceof Progress.Fatal) {
                        return;
                    }
                }
            }
        }
        boolean running = pods.size() == t.reservation.nodes().size() && pods.stream().allMatch(ServerWatch::running);
        if (running && !t.probing) {
            t.probing = true;
            exec.execute(() -> t.gpus = GpuFacts.read(client, settings.namespace(), Labels.podName(id, 0), GPU_FACTS_TIMEOUT).orElse(null));
            probes.execute(() -> attempt(id));
        }
    }

    private void attempt(ReservationId id) {
        Tracked t = tracked.get(id);
        if (t == null || t.ready) {
            return;
        }
        List<Pod> pods = lookups.podsOf(id);
        boolean answers = !pods.isEmpty() && pods.stream().allMatch(p -> running(p) && probe.accepts(p.getStatus().getPodIP(), ServerObjects.SSH_PORT));
        // the GPU line when nvidia-smi answered before SSH did; readiness never waits for it
        Optional<ServerAccess> access = (answers ? access(t) : Optional.<ServerAccess>empty())
                .map(a -> a.withAbout(GpuFacts.about(Optional.ofNullable(t.gpus), t.image)));
        if (access.isPresent()) {
            post(() -> {
                if (tracked.get(id) == t && !t.ready) {
                    t.ready = true;
                    listener.serverReady(id, access.get());
                }
            });
        } else {
            probes.schedule(() -> attempt(id), settings.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Empty while the service has no node port yet, or the API server cannot say (failing over, busy): probed again. */
    private Optional<ServerAccess> access(Tracked t) {
        Service service;
        try {
            service = client.services().inNamespace(settings.namespace()).withName(Labels.serverName(t.reservation.id())).get();
        } catch (KubernetesClientException e) {
            LOG.log(Level.WARNING, "could not read the service of " + t.reservation.id() + ", trying again: " + e.getMessage());
            return Optional.empty();
        }
        if (service == null) {
            return Optional.empty();
        }
        return Access.of(settings, t.reservation, service, lookups.node(t.reservation.nodes().getFirst().value()), t.jupyterToken);
    }

    private void report(ReservationId id, Tracked t, Progress p) {
        switch (p) {
            case Progress.Fatal f -> {
                tracked.remove(id);
                listener.serverFailed(id, f.text());
            }
            case Progress.Step s -> {
                if (!s.text().equals(t.lastProgress)) {
                    t.lastProgress = s.text();
                    listener.serverProgress(id, s.text());
                }
            }
        }
    }

    /** Best effort: the end of the server's log, which usually says why it stopped. Read before release deletes it. */
    private String lastLogLines(Pod pod) {
        try {
            String log = client.pods().inNamespace(settings.namespace()).withName(pod.getMetadata().getName())
                    .inContainer("dev").tailingLines(LOG_LINES).getLog();
            return log == null || log.isBlank() ? "" : ClusterListener.LOG_LINES + log.strip();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "no log of " + pod.getMetadata().getName() + ": " + e.getMessage());
            return "";
        }
    }

    private void end(ReservationId id, Tracked t, String why) {
        tracked.remove(id);
        if (t.ready) {
            listener.serverVanished(id, why);
        } else {
            listener.serverFailed(id, why);
        }
    }

    /** Runs on the events thread; a failing listener is logged and does not stop later reports. */
    private void post(Runnable task) {
        events.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "handling a cluster change failed: " + e.getMessage(), e);
            }
        });
    }

    private static boolean running(Pod p) {
        return p.getStatus() != null && "Running".equals(p.getStatus().getPhase()) && p.getStatus().getPodIP() != null
                && containerStatuses(p).stream().anyMatch(c -> ServerObjects.CONTAINER.equals(c.getName())
                && c.getState() != null && c.getState().getRunning() != null);
    }

    private static List<ContainerStatus> containerStatuses(Pod p) {
        return p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? List.of() : p.getStatus().getContainerStatuses();
    }

    private static ThreadFactory daemon(String name) {
        return Thread.ofPlatform().name(name + "-", 0).daemon().factory();
    }

    @Override
    public void close() {
        events.shutdownNow();
        probes.shutdownNow();
        exec.shutdownNow();
    }
}
