package dev.gpudev.scheduler.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Placer;
import dev.gpudev.scheduler.timeline.QueuePlanner.Hold;

/**
 * What the engine decides on: the live reservations, the nodes, and the nodes an admin drained. Immutable.
 *
 * <p>A decision changes a few reservations among possibly thousands, so {@link #with} costs O(affected), not O(live):
 * the live map is a {@link ShardedMap} (one bucket copied per change), and the indexes the engine reads on every
 * decision — each type's queue in arrival order, what each type's reservations hold on each node, the holders of each
 * type, GPUs used per node and GPUs per owner — are updated by {@link #with} from the old and the new version of the
 * changed reservation. Iteration over {@link #live()} follows the contents only, never the history of changes.
 */
public final class SchedulerState {
    public static final SchedulerState EMPTY = new SchedulerState(Map.of(), ClusterSnapshot.EMPTY, Set.of());
    private static final Comparator<Reservation> ARRIVAL = Comparator.comparing(Reservation::requestedAt).thenComparing(Reservation::id);
    private static final Comparator<UserId> USERS = Comparator.comparing(UserId::value);
    private static final Reservation[] NONE = new Reservation[0];

    private final ShardedMap<ReservationId, Reservation> live;
    /** Per GPU type, its QUEUED reservations in arrival order; arrays are never written after construction. */
    private final Map<String, Reservation[]> queues;
    /** Per GPU type, the reservations that hold its GPUs (PROVISIONING or ACTIVE). */
    private final Map<String, ShardedMap<ReservationId, Reservation>> holding;
    /** Per GPU type and node, what its reservations hold there (absent: nothing); the order within a list is of no meaning. */
    private final Map<String, ShardedMap<NodeName, List<Hold>>> holds;
    /** Per GPU type, how many of its GPUs each owner holds (absent: none). */
    private final Map<String, ShardedMap<UserId, Integer>> holders;
    /** GPUs held per node by reservations (absent: none). */
    private final ShardedMap<NodeName, Integer> used;
    /** GPUs per owner: of all live reservations, and of those holding GPUs (absent: none). */
    private final ShardedMap<UserId, Integer> asked;
    private final ShardedMap<UserId, Integer> held;
    private final ClusterSnapshot cluster;
    private final Set<NodeName> drained;
    /** How long ended reservations ran; not part of equality (the ETAs told, never the decisions, depend on it). */
    private final Releases releases;

    /** Indexes the given reservations; the ones that are not live are left out. */
    public SchedulerState(Map<ReservationId, Reservation> live, ClusterSnapshot cluster, Set<NodeName> drained) {
        Map<ReservationId, Reservation> lives = new HashMap<>();
        Map<String, List<Reservation>> queues = new HashMap<>();
        Map<String, Map<ReservationId, Reservation>> holding = new HashMap<>();
        Map<String, Map<NodeName, List<Hold>>> holds = new HashMap<>();
        Map<String, Map<UserId, Integer>> holders = new HashMap<>();
        Map<NodeName, Integer> used = new HashMap<>();
        Map<UserId, Integer> asked = new HashMap<>();
        Map<UserId, Integer> held = new HashMap<>();
        for (Reservation r : live.values()) {
            if (!r.live()) {
                continue;
            }
            lives.put(r.id(), r);
            asked.merge(r.owner(), r.gpus(), Integer::sum);
            if (r.state() == ReservationState.QUEUED) {
                queues.computeIfAbsent(r.gpuType(), t -> new ArrayList<>()).add(r);
            } else {
                holding.computeIfAbsent(r.gpuType(), t -> new HashMap<>()).put(r.id(), r);
                holders.computeIfAbsent(r.gpuType(), t -> new HashMap<>()).merge(r.owner(), r.gpus(), Integer::sum);
                r.nodes().forEach(n -> holds.computeIfAbsent(r.gpuType(), t -> new HashMap<>()).computeIfAbsent(n, k -> new ArrayList<>())
                        .add(Hold.of(r)));
                held.merge(r.owner(), r.gpus(), Integer::sum);
                r.nodes().forEach(n -> used.merge(n, r.gpusPerNode(), Integer::sum));
            }
        }
        this.live = ShardedMap.copyOf(lives, Comparator.naturalOrder());
        this.queues = new HashMap<>();
        queues.forEach((type, q) -> {
            Reservation[] sorted = q.toArray(NONE);
            Arrays.sort(sorted, ARRIVAL);
            this.queues.put(type, sorted);
        });
        this.holding = new HashMap<>();
        holding.forEach((type, h) -> this.holding.put(type, ShardedMap.copyOf(h, Comparator.naturalOrder())));
        this.holders = new HashMap<>();
        holders.forEach((type, h) -> this.holders.put(type, ShardedMap.copyOf(h, USERS)));
        this.holds = new HashMap<>();
        holds.forEach((type, h) -> {
            h.replaceAll((n, list) -> List.copyOf(list));
            this.holds.put(type, ShardedMap.copyOf(h, Comparator.naturalOrder()));
        });
        this.used = ShardedMap.copyOf(used, Comparator.naturalOrder());
        this.asked = ShardedMap.copyOf(asked, USERS);
        this.held = ShardedMap.copyOf(held, USERS);
        this.cluster = cluster;
        this.drained = Set.copyOf(drained);
        this.releases = Releases.EMPTY;
    }

    private SchedulerState(ShardedMap<ReservationId, Reservation> live, Map<String, Reservation[]> queues,
                           Map<String, ShardedMap<ReservationId, Reservation>> holding,
                           Map<String, ShardedMap<NodeName, List<Hold>>> holds, Map<String, ShardedMap<UserId, Integer>> holders,
                           ShardedMap<NodeName, Integer> used, ShardedMap<UserId, Integer> asked, ShardedMap<UserId, Integer> held,
                           ClusterSnapshot cluster, Set<NodeName> drained, Releases releases) {
        this.live = live;
        this.queues = queues;
        this.holding = holding;
        this.holds = holds;
        this.holders = holders;
        this.used = used;
        this.asked = asked;
        this.held = held;
        this.cluster = cluster;
        this.drained = drained;
        this.releases = releases;
    }

    public static SchedulerState of(List<Reservation> reservations, ClusterSnapshot cluster) {
        Map<ReservationId, Reservation> m = new LinkedHashMap<>();
        reservations.stream().filter(Reservation::live).forEach(r -> m.put(r.id(), r));
        return new SchedulerState(m, cluster, Set.of());
    }

    /** The live reservations by id: an unmodifiable view. */
    public Map<ReservationId, Reservation> live() {
        return live;
    }

    public ClusterSnapshot cluster() {
        return cluster;
    }

    public Set<NodeName> drained() {
        return drained;
    }

    public Optional<Reservation> find(ReservationId id) {
        return Optional.ofNullable(live.get(id));
    }

    /** The queue of one GPU type in arrival order. */
    public List<Reservation> queue(String gpuType) {
        Reservation[] q = queues.get(gpuType);
        return q == null ? List.of() : Collections.unmodifiableList(Arrays.asList(q));
    }

    /** The reservations holding GPUs of one type (PROVISIONING or ACTIVE), in no particular order. */
    public Collection<Reservation> holding(String gpuType) {
        ShardedMap<ReservationId, Reservation> h = holding.get(gpuType);
        return h == null ? List.of() : Collections.unmodifiableCollection(h.values());
    }

    /** What the reservations of one GPU type hold, by node; nodes where they hold nothing are absent. */
    public Map<NodeName, List<Hold>> holds(String gpuType) {
        ShardedMap<NodeName, List<Hold>> h = holds.get(gpuType);
        return h == null ? Map.of() : h;
    }

    /** The users who hold GPUs of one type. */
    public Set<UserId> holders(String gpuType) {
        ShardedMap<UserId, Integer> h = holders.get(gpuType);
        return h == null ? Set.of() : Collections.unmodifiableSet(h.keySet());
    }

    /** GPUs that reservations hold on each node; nodes where they hold none are absent. */
    public Map<NodeName, Integer> used() {
        return used;
    }

    /** Free GPUs of each schedulable node, as {@link Placer#free} computes them from {@link #live()}. */
    public Map<NodeName, Integer> free() {
        return Placer.free(cluster, used, drained);
    }

    /** GPUs of the user's live reservations, queued ones included. */
    public int gpusOf(UserId user) {
        return asked.getOrDefault(user, 0);
    }

    /** GPUs the user holds (PROVISIONING or ACTIVE reservations of any type). */
    public int heldBy(UserId user) {
        return held.getOrDefault(user, 0);
    }

    /** GPUs each user holds (PROVISIONING or ACTIVE reservations of any type); users who hold none are absent. */
    public Map<UserId, Integer> held() {
        return held;
    }

    /**
     * Folds the live reservations part by part and combines the results, reusing those of the parts this state shares
     * with the state it was derived from: after a decision, only the parts holding changed reservations are folded again.
     * {@code key} names the fold: one key, one pure fold.
     */
    public <R> Optional<R> fold(Object key, Function<List<Reservation>, Optional<R>> part, BinaryOperator<R> combine) {
        return Optional.ofNullable(live.fold(key, rs -> part.apply(rs).orElse(null), combine));
    }

    public List<Reservation> inState(ReservationState state) {
        return live.values().stream().filter(r -> r.state() == state).sorted(Comparator.comparing(Reservation::id)).toList();
    }

    public SchedulerState with(Reservation r) {
        @Nullable Reservation old = live.get(r.id());
        if (old == null && !r.live()) {
            return this;
        }
        @Nullable Reservation now = r.live() ? r : null;
        ShardedMap<ReservationId, Reservation> live = now != null ? this.live.with(r.id(), r) : this.live.without(r.id());
        Map<String, Reservation[]> queues = this.queues;
        if (is(old, ReservationState.QUEUED) || is(now, ReservationState.QUEUED)) {
            queues = new HashMap<>(queues);
            if (is(old, ReservationState.QUEUED)) {
                queues.put(old.gpuType(), without(queues.get(old.gpuType()), old));
            }
            if (is(now, ReservationState.QUEUED)) {
                queues.put(now.gpuType(), inserted(queues.getOrDefault(now.gpuType(), NONE), now));
            }
            queues.values().removeIf(q -> q.length == 0);
        }
        Map<String, ShardedMap<ReservationId, Reservation>> holding = this.holding;
        Map<String, ShardedMap<UserId, Integer>> holders = this.holders;
        Map<String, ShardedMap<NodeName, List<Hold>>> holds = this.holds;
        ShardedMap<NodeName, Integer> used = this.used;
        if (holds(old) || holds(now)) {
            @Nullable Hold before = holds(old) ? Hold.of(old) : null;
            @Nullable Hold after = holds(now) ? Hold.of(now) : null;
            if (before == null || !before.equals(after) || !old.gpuType().equals(now.gpuType()) || !old.nodes().equals(now.nodes())) {
                holds = new HashMap<>(holds);
                if (before != null) {
                    for (NodeName n : old.nodes()) {
                        holds.put(old.gpuType(), without(holds.get(old.gpuType()), n, before));
                    }
                    holds.values().removeIf(ShardedMap::isEmpty);
                }
                if (after != null) {
                    for (NodeName n : now.nodes()) {
                        ShardedMap<NodeName, List<Hold>> h = holds.getOrDefault(now.gpuType(), ShardedMap.empty(Comparator.naturalOrder()));
                        List<Hold> on = new ArrayList<>(h.getOrDefault(n, List.of()));
                        on.add(after);
                        holds.put(now.gpuType(), h.with(n, List.copyOf(on)));
                    }
                }
            }
            boolean sameHolder = holds(old) && holds(now) && old.gpuType().equals(now.gpuType()) && old.owner().equals(now.owner())
                    && old.gpus() == now.gpus();
            holders = sameHolder ? holders : new HashMap<>(holders);
            if (holds(old) && !sameHolder) {
                ShardedMap<UserId, Integer> left = add(holders.get(old.gpuType()), old.owner(), -old.gpus());
                if (left.isEmpty()) {
                    holders.remove(old.gpuType());
                } else {
                    holders.put(old.gpuType(), left);
                }
            }
            if (holds(now) && !sameHolder) {
                holders.put(now.gpuType(), add(holders.getOrDefault(now.gpuType(), ShardedMap.empty(USERS)), now.owner(), now.gpus()));
            }
            holding = new HashMap<>(holding);
            if (holds(old) && !(holds(now) && now.gpuType().equals(old.gpuType()))) {
                ShardedMap<ReservationId, Reservation> left = holding.get(old.gpuType()).without(old.id());
                if (left.isEmpty()) {
                    holding.remove(old.gpuType());
                } else {
                    holding.put(old.gpuType(), left);
                }
            }
            if (holds(now)) {
                holding.put(now.gpuType(), holding.getOrDefault(now.gpuType(), ShardedMap.empty(Comparator.naturalOrder())).with(now.id(), now));
            }
            Map<NodeName, Integer> delta = new HashMap<>();
            if (holds(old)) {
                old.nodes().forEach(n -> delta.merge(n, -old.gpusPerNode(), Integer::sum));
            }
            if (holds(now)) {
                now.nodes().forEach(n -> delta.merge(n, now.gpusPerNode(), Integer::sum));
            }
            for (Map.Entry<NodeName, Integer> d : delta.entrySet()) {
                used = add(used, d.getKey(), d.getValue());
            }
        }
        ShardedMap<UserId, Integer> asked = shift(this.asked, old, now, x -> true);
        ShardedMap<UserId, Integer> held = shift(this.held, old, now, SchedulerState::holds);
        Releases releases = now == null ? this.releases.learned(old, r) : this.releases;
        return new SchedulerState(live, queues, holding, holds, holders, used, asked, held, cluster, drained, releases);
    }

    public SchedulerState withCluster(ClusterSnapshot snapshot) {
        return new SchedulerState(live, queues, holding, holds, holders, used, asked, held, snapshot, drained, releases);
    }

    public SchedulerState withDrained(Set<NodeName> nodes) {
        return new SchedulerState(live, queues, holding, holds, holders, used, asked, held, cluster, Set.copyOf(nodes), releases);
    }

    /** The same reservations with the history of run times of another state (a reload keeps what was learned). */
    public SchedulerState withReleases(Releases history) {
        return new SchedulerState(live, queues, holding, holds, holders, used, asked, held, cluster, drained, history);
    }

    /** How long the reservations that ended under this engine ran, for the ETAs told (see {@link Releases}). */
    public Releases releases() {
        return releases;
    }

    private static boolean is(@Nullable Reservation r, ReservationState state) {
        return r != null && r.state() == state;
    }

    private static boolean holds(@Nullable Reservation r) {
        return r != null && r.state().holdsGpus();
    }

    private static ShardedMap<NodeName, List<Hold>> without(ShardedMap<NodeName, List<Hold>> h, NodeName n, Hold hold) {
        List<Hold> on = new ArrayList<>(h.getOrDefault(n, List.of()));
        on.remove(hold);
        return on.isEmpty() ? h.without(n) : h.with(n, List.copyOf(on));
    }

    private static Reservation[] inserted(Reservation[] q, Reservation r) {
        int i = Arrays.binarySearch(q, r, ARRIVAL);
        if (i >= 0) {
            Reservation[] copy = q.clone();
            copy[i] = r;
            return copy;
        }
        int at = -i - 1;
        Reservation[] copy = new Reservation[q.length + 1];
        System.arraycopy(q, 0, copy, 0, at);
        copy[at] = r;
        System.arraycopy(q, at, copy, at + 1, q.length - at);
        return copy;
    }

    private static Reservation[] without(Reservation[] q, Reservation r) {
        int i = Arrays.binarySearch(q, r, ARRIVAL);
        if (i < 0) {
            return q;
        }
        Reservation[] copy = new Reservation[q.length - 1];
        System.arraycopy(q, 0, copy, 0, i);
        System.arraycopy(q, i + 1, copy, i, q.length - i - 1);
        return copy;
    }

    /** Moves an owner's count from the old version of a reservation to the new one, each counted if {@code counts}. */
    private static ShardedMap<UserId, Integer> shift(ShardedMap<UserId, Integer> m, @Nullable Reservation old, @Nullable Reservation now,
                                                     Predicate<Reservation> counts) {
        int before = old != null && counts.test(old) ? old.gpus() : 0;
        int after = now != null && counts.test(now) ? now.gpus() : 0;
        if (old != null && now != null && old.owner().equals(now.owner())) {
            return add(m, now.owner(), after - before);
        }
        if (old != null) {
            m = add(m, old.owner(), -before);
        }
        return now == null ? m : add(m, now.owner(), after);
    }

    private static <K> ShardedMap<K, Integer> add(ShardedMap<K, Integer> m, K key, int delta) {
        if (delta == 0) {
            return m;
        }
        int v = m.getOrDefault(key, 0) + delta;
        return v == 0 ? m.without(key) : m.with(key, v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SchedulerState s && live.equals(s.live) && cluster.equals(s.cluster) && drained.equals(s.drained);
    }

    @Override
    public int hashCode() {
        return Objects.hash(live, cluster, drained);
    }

    @Override
    public String toString() {
        return "SchedulerState[live=" + live + ", cluster=" + cluster + ", drained=" + drained + "]";
    }
}
