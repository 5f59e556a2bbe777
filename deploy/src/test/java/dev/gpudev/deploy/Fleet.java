package dev.gpudev.deploy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpec;

/**
 * The bot's pods as the Deployment and ReplicaSet controllers, the eviction API (with the PodDisruptionBudget), the
 * Service and the Lease see them, advanced in ticks. The mock API server runs none of these, so this computes what
 * they would allow from the rendered Deployment, PodDisruptionBudget, Service and bot config, with the arithmetic of
 * kube-controller-manager's deployment, replicaset and disruption controllers and of the eviction subresource.
 */
final class Fleet {
    static final String LEADER_LABEL = "gpu-dev-bot/role";
    /** What the leader puts on its pod (LeaderLabel in adapters/kubernetes); the ReplicaSet deletes low costs first. */
    static final int LEADER_DELETION_COST = 1000;

    /** What a bot pod reports and does: the contract the bot and adapter tests hold the bot to. */
    enum Bot {
        /** As before issue 13: Ready only while leading, no label. */
        READY_WHEN_LEADING(false),
        /** Ready once synced, leader or follower; the leader labels its pod and raises its deletion cost. */
        READY_WHEN_SYNCED(true);

        final boolean marksLeader;

        Bot(boolean marksLeader) {
            this.marksLeader = marksLeader;
        }
    }

    static final class Pod {
        final String name;
        final int revision;
        final String node;
        final int created;
        boolean synced;
        boolean terminating;

        Pod(String name, int revision, String node, int created) {
            this.name = name;
            this.revision = revision;
            this.node = node;
            this.created = created;
        }

        @Override
        public String toString() {
            return name + "@" + node + (synced ? "" : " starting") + (terminating ? " terminating" : "");
        }
    }

    private final Bot bot;
    private final int replicas;
    private final int maxSurge;
    private final int maxUnavailable;
    private final Optional<PodDisruptionBudgetSpec> budget;
    private final Map<String, String> templateLabels;
    private final Map<String, String> serviceSelector;
    private final boolean election;
    private final List<String> nodes;
    private final Set<String> cordoned = new HashSet<>();
    private final Map<Integer, Integer> replicaSets = new LinkedHashMap<>();
    private final List<Pod> pods = new ArrayList<>();
    private String holder = "";
    private int revision = 1;
    private int clock;
    private int created;
    private String pinnedNode = "";
    private boolean led;

    /** The worst seen since the start: most pods scheduling at once, endpoints that were not the leader, lease handovers. */
    int mostLeaders;
    final List<String> strayEndpoints = new ArrayList<>();
    int failovers;
    int ticksWithoutEndpoint;

    Fleet(Rendered chart, Bot bot, List<String> nodes) {
        Deployment deployment = chart.only(Deployment.class);
        this.bot = bot;
        this.replicas = deployment.getSpec().getReplicas();
        var rolling = deployment.getSpec().getStrategy() == null ? null : deployment.getSpec().getStrategy().getRollingUpdate();
        // Defaults of apps/v1: 25 % each; surge rounds up, unavailability down; both 0 means 1 unavailable.
        int surge = scaled(rolling == null ? null : rolling.getMaxSurge(), replicas, true);
        int unavailable = scaled(rolling == null ? null : rolling.getMaxUnavailable(), replicas, false);
        this.maxSurge = surge;
        this.maxUnavailable = surge == 0 && unavailable == 0 ? 1 : unavailable;
        this.budget = chart.all(PodDisruptionBudget.class).stream().findFirst().map(PodDisruptionBudget::getSpec);
        this.templateLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        this.serviceSelector = chart.only(Service.class).getSpec().getSelector();
        this.election = chart.botConfig().get("leader-election") instanceof Map<?, ?> le && Boolean.TRUE.equals(le.get("enabled"));
        this.nodes = List.copyOf(nodes);
        replicaSets.put(revision, replicas);
    }

    private static int scaled(IntOrString value, int total, boolean roundUp) {
        IntOrString v = value == null ? new IntOrString("25%") : value;
        if (v.getStrVal() == null) {
            return v.getIntVal();
        }
        int percent = Integer.parseInt(v.getStrVal().replace("%", ""));
        return roundUp ? (percent * total + 99) / 100 : percent * total / 100;
    }

    /** Starts every pod on one node (the anti-affinity is only preferred), until the first is placed elsewhere. */
    Fleet allOn(String node) {
        pinnedNode = node;
        return this;
    }

    /** The first install, run until the pods are up and one leads. */
    Fleet installed() {
        for (int i = 0; i < 5; i++) {
            tick();
        }
        pinnedNode = "";
        return this;
    }

    // ---- what the bot does

    /** Without election every synced pod schedules, until it has left (stopping takes its shutdown). */
    boolean leads(Pod p) {
        return election ? p.name.equals(holder) : p.synced;
    }

    boolean ready(Pod p) {
        return p.synced && !p.terminating && (bot == Bot.READY_WHEN_SYNCED || leads(p));
    }

    Map<String, String> labels(Pod p) {
        Map<String, String> labels = new HashMap<>(templateLabels);
        labels.put("pod-template-hash", "rev" + p.revision);
        if (bot.marksLeader && election && leads(p)) {
            labels.put(LEADER_LABEL, "leader");
        }
        return labels;
    }

    private int deletionCost(Pod p) {
        return bot.marksLeader && election && leads(p) ? LEADER_DELETION_COST : 0;
    }

    List<Pod> leaders() {
        return pods.stream().filter(this::leads).toList();
    }

    /** The Service's endpoints that receive traffic: Ready pods whose labels the selector matches. */
    List<Pod> endpoints() {
        return pods.stream().filter(p -> ready(p) && labels(p).entrySet().containsAll(serviceSelector.entrySet())).toList();
    }

    List<Pod> pods() {
        return List.copyOf(pods);
    }

    /** One step of the world: stopped pods leave, started ones sync, the lease is taken, the controllers act. */
    void tick() {
        clock++;
        for (Pod p : List.copyOf(pods)) {
            if (p.terminating) {
                pods.remove(p);
                if (p.name.equals(holder)) {
                    holder = ""; // Bot.close releases the lease on SIGTERM
                }
            }
        }
        pods.forEach(p -> p.synced = true);
        if (election && holder.isEmpty()) {
            // The oldest candidate: an old pod when there is one, the least favourable choice for a rollout.
            pods.stream().filter(p -> p.synced && !p.terminating).min(Comparator.comparingInt(p -> p.created)).ifPresent(p -> {
                failovers += led ? 1 : 0;
                led = true;
                holder = p.name;
            });
        }
        deploymentController();
        replicaSetController();
        observe();
    }

    private void observe() {
        mostLeaders = Math.max(mostLeaders, leaders().size());
        ticksWithoutEndpoint += endpoints().isEmpty() ? 1 : 0;
        endpoints().stream().filter(p -> !leads(p)).forEach(p -> strayEndpoints.add("tick " + clock + ": " + p));
    }

    // ---- kube-controller-manager

    private List<Pod> active(int rev) {
        return pods.stream().filter(p -> p.revision == rev && !p.terminating).toList();
    }

    private int available(int rev) {
        return (int) active(rev).stream().filter(this::ready).count();
    }

    /** deployment/rolling.go: reconcileNewReplicaSet, then reconcileOldReplicaSets. */
    private void deploymentController() {
        replicaSets.putIfAbsent(revision, 0);
        int total = replicaSets.values().stream().mapToInt(Integer::intValue).sum();
        int fresh = replicaSets.get(revision);
        if (fresh < replicas && total < replicas + maxSurge) {
            replicaSets.put(revision, fresh + Math.min(replicas + maxSurge - total, replicas - fresh));
        }
        List<Integer> old = replicaSets.keySet().stream().filter(r -> r != revision && replicaSets.get(r) > 0).sorted().toList();
        if (old.isEmpty()) {
            return;
        }
        int all = replicaSets.values().stream().mapToInt(Integer::intValue).sum();
        int minAvailable = replicas - maxUnavailable;
        int freshUnavailable = replicaSets.get(revision) - available(revision);
        int maxScaledDown = all - minAvailable - freshUnavailable;
        if (maxScaledDown <= 0) {
            return;
        }
        for (int r : old) { // cleanupUnhealthyReplicas
            int unhealthy = replicaSets.get(r) - available(r);
            int down = Math.min(maxScaledDown, Math.max(0, unhealthy));
            replicaSets.put(r, replicaSets.get(r) - down);
            maxScaledDown -= down;
        }
        int availableAll = replicaSets.keySet().stream().mapToInt(this::available).sum();
        int toScaleDown = availableAll - minAvailable; // scaleDownOldReplicaSetsForRollingUpdate
        for (int r : old) {
            int down = Math.max(0, Math.min(replicaSets.get(r), toScaleDown));
            replicaSets.put(r, replicaSets.get(r) - down);
            toScaleDown -= down;
        }
    }

    /** replicaset: create what is missing; delete the surplus in the order of controller.ActivePodsWithRanks. */
    private void replicaSetController() {
        replicaSets.forEach((rev, want) -> {
            List<Pod> active = active(rev);
            for (int i = active.size(); i < want; i++) {
                pods.add(new Pod("bot-r" + rev + "-" + created, rev, schedule(), created++));
            }
            // Not Ready first, then the lower deletion cost. Pods the ranking cannot tell apart (age compares in
            // log-scale buckets, ties go by UID) lose the leader first: the worst case.
            active.stream().sorted(Comparator.<Pod, Boolean>comparing(this::ready)
                            .thenComparingInt(this::deletionCost)
                            .thenComparing(p -> !leads(p)))
                    .limit(Math.max(0, active.size() - want))
                    .forEach(p -> p.terminating = true);
        });
    }

    /** The schedulable node with the fewest bot pods (the chart's preferred anti-affinity). */
    private String schedule() {
        if (!pinnedNode.isEmpty()) {
            return pinnedNode;
        }
        return nodes.stream().filter(n -> !cordoned.contains(n))
                .min(Comparator.comparingLong(n -> pods.stream().filter(p -> p.node.equals(n)).count()))
                .orElseThrow(() -> new AssertionError("no schedulable node"));
    }

    // ---- what an operator runs

    /** {@code helm upgrade} with a changed pod template; true when {@code kubectl rollout status} would return. */
    boolean upgrade(int maxTicks) {
        revision++;
        for (int i = 0; i < maxTicks; i++) {
            tick();
            if (rolledOut()) {
                return true;
            }
        }
        return false;
    }

    boolean rolledOut() {
        return replicaSets.get(revision) == replicas && available(revision) == replicas
                && replicaSets.entrySet().stream().allMatch(e -> e.getKey() == revision || e.getValue() == 0)
                && pods.stream().allMatch(p -> p.revision == revision || p.terminating);
    }

    /** {@code kubectl drain}: cordon, then evict every pod on the node, retrying refused evictions; true when it empties. */
    boolean drain(String node, int maxTicks) {
        cordoned.add(node);
        for (int i = 0; i < maxTicks; i++) {
            for (Pod p : List.copyOf(pods)) {
                if (p.node.equals(node) && !p.terminating && evictionAllowed(p)) {
                    p.terminating = true;
                }
            }
            tick();
            if (pods.stream().noneMatch(p -> p.node.equals(node))) {
                cordoned.remove(node);
                return true;
            }
        }
        return false;
    }

    /** registry/core/pod/storage/eviction.go with the disruption controller's status of the budget. */
    boolean evictionAllowed(Pod pod) {
        if (budget.isEmpty()) {
            return true;
        }
        PodDisruptionBudgetSpec spec = budget.get();
        int healthy = (int) pods.stream().filter(this::ready).count();
        int desired;
        if (spec.getMaxUnavailable() != null) {
            desired = Math.max(0, replicas - scaled(spec.getMaxUnavailable(), replicas, true));
        } else if (spec.getMinAvailable().getStrVal() == null) {
            desired = spec.getMinAvailable().getIntVal();
        } else {
            desired = scaled(spec.getMinAvailable(), replicas, true);
        }
        int disruptionsAllowed = Math.max(0, healthy - desired);
        if (!ready(pod)) {
            if ("AlwaysAllow".equals(spec.getUnhealthyPodEvictionPolicy())) {
                return true;
            }
            if (healthy >= desired && desired > 0) {
                return true;
            }
        }
        return disruptionsAllowed > 0;
    }

    Optional<Pod> leader() {
        return leaders().stream().findFirst();
    }

    List<String> nodes() {
        return nodes;
    }
}
