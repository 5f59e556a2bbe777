package dev.gpudev.scheduler.service;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.app.ActionOutcome;
import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.app.Lookup;
import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.engine.Decision;
import dev.gpudev.scheduler.engine.Effect;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.engine.Event;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.model.SshPublicKey;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.policy.Validation;
import dev.gpudev.scheduler.port.AccessDecision;
import dev.gpudev.scheduler.port.Cluster;
import dev.gpudev.scheduler.port.ClusterListener;
import dev.gpudev.scheduler.port.DeliveryListener;
import dev.gpudev.scheduler.port.Identity;
import dev.gpudev.scheduler.port.LeaderTerm;
import dev.gpudev.scheduler.port.Notifier;
import dev.gpudev.scheduler.port.ProvisionException;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.port.ServerSpec;
import dev.gpudev.scheduler.port.StoreConflictException;
import dev.gpudev.scheduler.port.StoreFencedException;
import dev.gpudev.scheduler.port.StoreUnavailableException;
import dev.gpudev.scheduler.timeline.Timeline;

/**
 * The use cases. Each turns into one engine event; the decision's changed reservations are written to the store
 * before any effect runs (so nobody is told of a reservation that is not stored), and effects run outside the lock.
 *
 * <p>Crash safety follows from that order. A crash after a write and before its effect leaves a state the next
 * {@link #start} repairs: the state is rebuilt from the store, servers of ended reservations are released, servers of
 * PROVISIONING ones are asked for again (provisioning is idempotent), and the first tick fails what waited too long.
 * The Ready message and reminders are delivered at least once: the timer marks a reminder in the store before it is
 * issued (so the timer issues none twice), the front-end confirms each delivery ({@link DeliveryListener}) and the
 * service records it in the reservation; on start and on every tick, what an ACTIVE reservation's owner was not shown
 * and is not on its way is issued again ({@link Timeline#undelivered}). A crash between the delivery and its record
 * sends that one notice twice; the main message is updated in place, so only a reminder or the "ready" reply repeats.
 * Requests and actions carry an idempotency key (Slack's trigger id or action ts); the store records it with a
 * conditional write together with what the first delivery was about to do, so a duplicate delivery takes effect
 * once, and a retry of a delivery that crashed before its write still takes effect.
 */
public final class ReservationService implements ClusterListener, DeliveryListener {
    private static final System.Logger LOG = System.getLogger(ReservationService.class.getName());
    private static final String STORE_DOWN = "The reservation store is not answering, so nothing was changed. Try again in a minute.";
    private static final String STORE_SLOW = " (The store stumbled on a follow-up change; the bot repairs it by itself.)";
    private static final String RACE = "Another change to the same reservation won the race; please try again.";
    private static final String HANDED_OVER = "This bot replica has just handed over to another one, so nothing was changed."
            + " Try again in a few seconds.";
    private static final int ATTEMPTS = 3;
    /** At most this many reservations are read to resolve an id prefix: enough to offer a choice, never a whole partition. */
    public static final int LOOKUP_LIMIT = 20;

    private final Engine engine;
    private final RequestValidator validator;
    private final ReservationStore store;
    private final Cluster cluster;
    private final Identity identity;
    private final Notifier notifier;
    private final Clock clock;
    private final RandomGenerator random;
    private final Timeline timeline;
    private final ProvisionRetries retries;
    private final List<Consumer<SchedulerState>> watchers = new CopyOnWriteArrayList<>();
    /** Serializes drains, so that each writes the set the one before it left. */
    private final Object drains = new Object();
    /** Ready messages and reminders handed to the notifier and neither confirmed nor given up: not issued again meanwhile. */
    private final Map<String, Notice> inFlight = new HashMap<>();
    private volatile SchedulerState state = SchedulerState.EMPTY;
    /** A decision failed halfway or lost a race: the memory may differ from the store, reload before deciding. */
    private boolean stale;
    /** Effects owed whatever the caller hears: reconciling after a reload, and those of the writes of a decision that failed halfway. */
    private final Queue<Effect> owed = new ConcurrentLinkedQueue<>();
    /** The reservations the last decision that failed halfway did write, so the asker hears what happened. */
    private Map<ReservationId, Reservation> landed = Map.of();
    /** The leadership term this service writes in: taken by {@link #start}; 0 before (the oldest, refused on any item a leader wrote). */
    private volatile long term;
    /** A newer term refused a write: another replica leads; this one decides and acts no more. */
    private volatile boolean fenced;
    private final List<Runnable> onFenced = new CopyOnWriteArrayList<>();

    public ReservationService(Engine engine, RequestValidator validator, ReservationStore store, Cluster cluster,
                              Identity identity, Notifier notifier, Clock clock, RandomGenerator random) {
        this.engine = engine;
        this.validator = validator;
        this.store = store;
        this.cluster = cluster;
        this.identity = identity;
        this.notifier = notifier;
        this.clock = clock;
        this.random = random;
        this.timeline = new Timeline(engine.limits());
        this.retries = new ProvisionRetries(random);
    }

    /**
     * Takes a new leadership term, rebuilds the state from the store (queued, provisioning and active reservations with
     * the reminders already sent) and the cluster, reconciles the two, and listens. Safe to call after a crash at any point.
     */
    public void start() {
        takeOver();
        cluster.listen(this);
        run(takeOwed());
        tick();
    }

    /** Runs when a write is refused for a newer term: the caller must stop leading (the bot halts, as on losing the lease). */
    public void onFenced(Runnable action) {
        onFenced.add(action);
    }

    public long term() {
        return term;
    }

    /**
     * Takes the next term before reading anything, so that from here on the last leader can book no placement; then
     * settles what it booked last (see {@link #settle}) and reads the store.
     */
    private synchronized void takeOver() {
        LeaderTerm taken = store.lead();
        term = taken.value();
        LOG.log(Level.INFO, "writing in leadership term " + term);
        rebuild(settle(taken.booked()));
    }

    /**
     * The last leader's booking lists the reservations holding GPUs after its last placement, whose reservation write
     * may not have landed yet. Each is read by key (index reads may lag), and one still QUEUED is written again in this
     * term, so that the old placement can no longer land; the engine places it again.
     */
    private List<Reservation> settle(Set<ReservationId> booked) {
        List<Reservation> read = new ArrayList<>();
        for (ReservationId id : booked) {
            for (int attempt = 1; ; attempt++) {
                Optional<Reservation> r = store.find(id);
                if (r.isEmpty() || r.get().state() != ReservationState.QUEUED) {
                    r.ifPresent(read::add);
                    break;
                }
                try {
                    read.add(store.update(r.get(), term));
                    break;
                } catch (StoreConflictException landedMeanwhile) {
                    if (attempt == ATTEMPTS) {
                        throw landedMeanwhile;
                    }
                }
            }
        }
        return read;
    }

    private void rebuild() {
        rebuild(List.of());
    }

    /**
     * Reads the store again at the next event, adopting what other writers stored meanwhile: requests a replica that
     * was being fenced accepted as queued, and anything an index read missed at the start (the bot calls it on every
     * reconcile).
     */
    public void reload() {
        markStale();
        tick();
    }

    /**
     * Reloads the live reservations (and {@code read}, the newer of each) and owes what reconciles the cluster with them:
     * releasing servers whose reservation has ended, and provisioning again what is PROVISIONING (provisioning is idempotent).
     */
    private synchronized void rebuild(List<Reservation> read) {
        Map<ReservationId, Reservation> live = new LinkedHashMap<>();
        Stream.concat(store.live().stream(), read.stream()).filter(Reservation::live)
                .forEach(r -> live.merge(r.id(), r, (x, y) -> x.version() >= y.version() ? x : y));
        // The live index lags writes: what this replica knows as live, or runs a server for, is read by key before it
        // is dropped, or a reservation placed a moment ago would lose its server and its GPUs would be booked twice.
        Set<ReservationId> servers = serversOrNone();
        Map<ReservationId, Reservation> gone = new LinkedHashMap<>();
        Stream.concat(state.live().keySet().stream(), servers.stream()).filter(id -> !live.containsKey(id)).distinct()
                .forEach(id -> store.find(id).ifPresent(r -> (r.live() ? live : gone).put(id, r)));
        SchedulerState fresh = SchedulerState.of(List.copyOf(live.values()), cluster.snapshot()).withDrained(store.drained());
        List<Effect> effects = new ArrayList<>();
        for (ReservationId id : servers) {
            if (fresh.find(id).filter(r -> r.state().holdsGpus()).isEmpty()) {
                Reservation r = live.getOrDefault(id, gone.get(id));
                if (r == null) {
                    LOG.log(Level.WARNING, "server " + id + " has no reservation in the store; leaving it");
                } else {
                    effects.add(new Effect.Release(r));
                }
            }
        }
        fresh.inState(ReservationState.PROVISIONING).forEach(r -> effects.add(new Effect.Provision(r)));
        owed.addAll(effects);
        state = fresh;
        stale = false;
        SchedulerState adopted = fresh;
        watchers.forEach(w -> w.accept(adopted));
    }

    /**
     * The servers to reconcile; none when the cluster cannot say (an API server failing over), so that a start goes on
     * and provisions what is PROVISIONING: the cluster's own periodic reconcile deletes what ended meanwhile.
     */
    private Set<ReservationId> serversOrNone() {
        try {
            return Set.copyOf(cluster.servers());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not list the servers to reconcile, leaving that to the next reconcile: " + e.getMessage());
            return Set.of();
        }
    }

    /** Without the lock: every use case calls it, and it nearly always finds nothing. */
    private List<Effect> takeOwed() {
        if (owed.isEmpty()) {
            return List.of();
        }
        List<Effect> due = new ArrayList<>();
        for (Effect e = owed.poll(); e != null; e = owed.poll()) {
            due.add(e);
        }
        return due;
    }

    private synchronized Map<ReservationId, Reservation> takeLanded() {
        Map<ReservationId, Reservation> l = landed;
        landed = Map.of();
        return l;
    }

    /** Called whenever the state changed: the queue-status message and metrics follow it. */
    public void watch(Consumer<SchedulerState> watcher) {
        watchers.add(watcher);
    }

    public SchedulerState state() {
        return state;
    }

    public Clock clock() {
        return clock;
    }

    public Engine engine() {
        return engine;
    }

    public RequestValidator validator() {
        return validator;
    }

    /**
     * Validates, authorizes and persists a request, then tells where it stands.
     *
     * @param idempotencyKey the trigger of the request (Slack's trigger id); a second delivery of it is a {@link ReserveOutcome.Duplicate}
     */
    public ReserveOutcome reserve(UserId user, Command.Reserve cmd, @Nullable String idempotencyKey) {
        // The shape of the request only: the quota is checked under the lock, after a duplicate is recognised.
        Validation shape = validator.validate(user, cmd, state.cluster(), 0);
        if (shape instanceof Validation.Invalid invalid) {
            return new ReserveOutcome.Refused(invalid.reason());
        }
        Optional<String> denied = refusal(identity.authorize(user));
        if (denied.isPresent()) {
            return new ReserveOutcome.Refused(denied.get());
        }
        for (GithubLogin login : ((Validation.Valid) shape).request().options().collaborators()) {
            Optional<String> no = refusal(identity.authorizeLogin(login));
            if (no.isPresent()) {
                return new ReserveOutcome.Refused("Cannot add " + login + ": " + no.get());
            }
        }
        List<Effect> effects = new ArrayList<>();
        ReserveOutcome outcome;
        try {
            synchronized (this) {
                outcome = submit(user, cmd, idempotencyKey, effects);
            }
        } catch (StoreFencedException e) {
            outcome = new ReserveOutcome.Refused(HANDED_OVER);
        } catch (StoreUnavailableException e) {
            outcome = new ReserveOutcome.Refused(STORE_DOWN);
        } catch (StoreConflictException e) {
            markStale();
            outcome = new ReserveOutcome.Refused(RACE);
        }
        run(takeOwed());
        run(effects);
        return outcome;
    }

    private Validation validate(UserId user, Command.Reserve cmd) {
        SchedulerState now = state;
        return validator.validate(user, cmd, now.cluster(), now.gpusOf(user));
    }

    /**
     * Claims the key, validates again under the lock (so concurrent requests cannot pass a quota together), persists.
     * The key is claimed first so that a duplicate is recognised as one, not refused for the quota its first took.
     */
    private ReserveOutcome submit(UserId user, Command.Reserve cmd, @Nullable String key, List<Effect> effects) {
        if (stale) {
            rebuild();
        }
        Optional<GpuType> type = cmd.gpuType() == null ? Optional.empty() : validator.catalog().find(cmd.gpuType());
        @Nullable ReservationId id = null;
        if (key != null && type.isPresent()) {
            id = newId(type.get().name());
            Optional<String> first = store.claim("reserve:" + key, id.value());
            if (first.isPresent()) {
                // The first delivery chose this id; if it never got to write it (a crash), this one does.
                id = new ReservationId(first.get());
                if (state.find(id).isPresent() || store.find(id).isPresent()) {
                    return new ReserveOutcome.Duplicate();
                }
            }
        }
        Validation v = validate(user, cmd);
        if (v instanceof Validation.Invalid invalid) {
            return new ReserveOutcome.Refused(invalid.reason());
        }
        var request = ((Validation.Valid) v).request();
        if (id == null) {
            id = newId(request.gpuType());
        }
        Reservation queued = Reservation.queued(id, user, request.gpuType(), request.gpus(), request.duration(),
                request.options(), clock.instant());
        Reservation stored;
        try {
            effects.addAll(apply(new Event.Submitted(queued)));
            stored = state.find(queued.id()).or(() -> store.find(queued.id())).orElseThrow();
        } catch (StoreConflictException e) {
            Map<ReservationId, Reservation> written = takeLanded();
            effects.addAll(takeOwed());
            if (!written.containsKey(queued.id())) {
                if (key != null && store.find(queued.id()).isPresent()) {
                    return new ReserveOutcome.Duplicate();
                }
                throw e;
            }
            // Ours stands; another reservation of the same decision changed meanwhile: reload, decide the rest again.
            stored = written.get(queued.id());
            try {
                effects.addAll(applyAndRetry(new Event.Tick()));
                stored = state.find(queued.id()).orElse(stored);
            } catch (StoreUnavailableException | StoreConflictException again) {
                LOG.log(Level.WARNING, "could not schedule after a lost race; the next event will: " + again.getMessage());
            }
        } catch (StoreUnavailableException e) {
            // Written before the failure: it stands, and the user must hear so, or a retry would reserve twice.
            stored = takeLanded().get(queued.id());
            if (stored == null) {
                throw e;
            }
            effects.addAll(takeOwed());
        }
        ReservationId mine = stored.id();
        Notice first = effects.stream()
                .flatMap(e -> e instanceof Effect.Notify(Notice n) && n.reservation().id().equals(mine) ? Stream.of(n) : Stream.empty())
                .findFirst().orElse(new Notice.Queued(stored, 1, null));
        return new ReserveOutcome.Accepted(stored, first);
    }

    private static Optional<String> refusal(AccessDecision decision) {
        return switch (decision) {
            case AccessDecision.Granted g -> Optional.empty();
            case AccessDecision.Denied(String reason) -> Optional.of(reason);
            case AccessDecision.Unavailable(String reason) -> Optional.of(reason);
        };
    }

    public ActionOutcome cancel(UserId actor, String idOrPrefix, boolean admin) {
        return cancel(actor, idOrPrefix, admin, null);
    }

    /** @param idempotencyKey the action's trigger (Slack's action ts); a duplicate answers as the first did */
    public ActionOutcome cancel(UserId actor, String idOrPrefix, boolean admin, @Nullable String idempotencyKey) {
        return act(actor, idOrPrefix, admin, idempotencyKey == null ? null : "cancel:" + idempotencyKey,
                r -> new Event.CancelRequested(r.id(), actor.equals(r.owner()) ? "cancelled by its owner" : "cancelled by an admin"),
                r -> "Cancelled " + r.id() + ".",
                r -> r.live() ? "live" : "ended", (mark, now) -> mark.equals("live") && !now.live(), r -> Optional.empty());
    }

    public ActionOutcome extend(UserId actor, String idOrPrefix, Duration by, boolean admin) {
        return extend(actor, idOrPrefix, by, admin, null);
    }

    /** @param idempotencyKey the action's trigger (Slack's action ts); a duplicate extends nothing more */
    public ActionOutcome extend(UserId actor, String idOrPrefix, Duration by, boolean admin, @Nullable String idempotencyKey) {
        return extend(actor, idOrPrefix, by, admin, idempotencyKey, null);
    }

    /**
     * @param drawnWith the extension total the pressed button was drawn with: if it moved since, the button is outdated
     *                  (another click or message extended it already) and this one extends nothing
     */
    public ActionOutcome extend(UserId actor, String idOrPrefix, Duration by, boolean admin, @Nullable String idempotencyKey,
                                @Nullable Duration drawnWith) {
        // The mark is the extension total before this one: a duplicate took effect iff the total moved since.
        return act(actor, idOrPrefix, admin, idempotencyKey == null ? null : "extend:" + idempotencyKey,
                r -> new Event.ExtendRequested(r.id(), by, admin && !actor.equals(r.owner())),
                r -> r.endsAt() == null ? "Extended " + r.id() + " by " + Durations.format(by) + "."
                        : "Extended " + r.id() + " by " + Durations.format(by) + ": it now ends at " + r.endsAt() + ".",
                r -> r.extendedBy().toString(), (mark, now) -> !now.extendedBy().toString().equals(mark),
                r -> drawnWith == null || drawnWith.equals(r.extendedBy()) ? Optional.empty()
                        : Optional.of(r.id() + " was already extended from another click"
                        + (r.endsAt() == null ? "." : "; it now ends at " + r.endsAt() + ".")));
    }

    /**
     * @param mark    what the first delivery records with its key, read before the change
     * @param applied whether the change of a first delivery with that mark is visible in the reservation now
     * @param outdated why the action no longer applies to the reservation as it is now (answered as done, nothing changes)
     */
    private ActionOutcome act(UserId actor, String idOrPrefix, boolean admin, @Nullable String key,
                              Function<Reservation, Event> event,
                              Function<Reservation, String> message,
                              Function<Reservation, String> mark,
                              BiPredicate<String, Reservation> applied,
                              Function<Reservation, Optional<String>> outdated) {
        Actor who = new Actor(actor, admin);
        Lookup lookup = find(actor, idOrPrefix, admin);
        if (lookup instanceof Lookup.NotFound && exactly(idOrPrefix).filter(r -> !who.mayActOn(r)).isPresent()) {
            return new ActionOutcome.Refused("Reservation " + idOrPrefix.strip() + " is not yours.");
        }
        if (!(lookup instanceof Lookup.Found(Reservation listed))) {
            return new ActionOutcome.Refused(lookup instanceof Lookup.NotFound(String why) ? why
                    : "`" + idOrPrefix + "` matches several reservations; give more of the id.");
        }
        if (!who.mayActOn(listed)) {
            return new ActionOutcome.Refused("Reservation " + listed.id() + " is not yours.");
        }
        Reservation found;
        List<Effect> effects;
        try {
            // Claim, check and apply under one lock: a second click or delivery waits for the first and then sees its effect.
            synchronized (this) {
                // Index reads may lag; the mark must be taken from the reservation as it is.
                found = store.find(listed.id()).orElse(listed);
                if (key != null) {
                    Optional<String> first = store.claim(key, found.id() + "@" + mark.apply(found));
                    if (first.isPresent() && first.get().startsWith(found.id() + "@")
                            && applied.test(first.get().substring(found.id().value().length() + 1), found)) {
                        return new ActionOutcome.Done(found, message.apply(found));
                    }
                }
                if (!found.live()) {
                    return new ActionOutcome.Refused("Reservation " + found.id() + " has already ended (" + found.detail() + ").");
                }
                Optional<String> stale = outdated.apply(found);
                if (stale.isPresent()) {
                    return new ActionOutcome.Done(found, stale.get());
                }
                effects = applyAndRetry(event.apply(found));
            }
        } catch (StoreUnavailableException e) {
            run(takeOwed());
            Reservation written = takeLanded().get(listed.id());
            return written == null ? new ActionOutcome.Refused(STORE_DOWN)
                    : new ActionOutcome.Done(written, message.apply(written) + STORE_SLOW);
        } catch (StoreConflictException e) {
            run(takeOwed());
            return new ActionOutcome.Refused(RACE);
        }
        run(takeOwed());
        run(effects);
        for (Effect e : effects) {
            if (e instanceof Effect.Refused(ReservationId id, String reason) && id.equals(found.id())) {
                return new ActionOutcome.Refused("Cannot do that for " + found.id() + ": " + reason + ".");
            }
        }
        Reservation before = found;
        Reservation now = state.find(found.id()).or(() -> store.find(before.id())).orElse(found);
        return new ActionOutcome.Done(now, message.apply(now));
    }

    /**
     * Resolves a full id or a unique prefix among the actor's reservations, or everyone's when {@code everyone} (admins).
     * Reads at most {@link #LOOKUP_LIMIT} reservations, so other people's ids never make the actor's own ambiguous.
     */
    public Lookup find(UserId actor, @Nullable String idOrPrefix, boolean everyone) {
        if (idOrPrefix == null || idOrPrefix.isBlank()) {
            List<Reservation> mine = state.live().values().stream().filter(r -> r.owner().equals(actor)).toList();
            return switch (mine.size()) {
                case 0 -> new Lookup.NotFound("You have no live reservations.");
                case 1 -> new Lookup.Found(mine.getFirst());
                default -> new Lookup.Ambiguous(mine);
            };
        }
        String prefix = idOrPrefix.strip().toLowerCase(Locale.ROOT);
        // Live reservations first, from memory: a long history under the same prefix never hides the one that is live,
        // and the usual lookup (extend, cancel, show of a live server) reads nothing from the store.
        List<Reservation> live = state.live().values().stream()
                .filter(r -> (everyone || r.owner().equals(actor)) && r.id().value().startsWith(prefix))
                .sorted(Comparator.comparing((Reservation r) -> r.id().value())).limit(LOOKUP_LIMIT).toList();
        if (!live.isEmpty()) {
            return live.stream().filter(r -> r.id().value().equals(prefix)).findFirst().<Lookup>map(Lookup.Found::new)
                    .orElse(live.size() == 1 ? new Lookup.Found(live.getFirst()) : new Lookup.Ambiguous(live));
        }
        List<Reservation> matches;
        try {
            matches = everyone ? store.byIdPrefix(prefix, LOOKUP_LIMIT) : store.byOwnerIdPrefix(actor, prefix, LOOKUP_LIMIT);
        } catch (StoreUnavailableException e) {
            matches = List.of();
        }
        List<Reservation> exact = matches.stream().filter(r -> r.id().value().equals(prefix)).toList();
        if (exact.size() == 1) {
            return new Lookup.Found(exact.getFirst());
        }
        List<Reservation> stored = matches.stream().filter(Reservation::live).toList();
        List<Reservation> pool = stored.isEmpty() ? matches : stored;
        return switch (pool.size()) {
            case 0 -> new Lookup.NotFound((everyone ? "No reservation `" : "You have no reservation `") + prefix + "`. `/gpu list` shows yours.");
            case 1 -> new Lookup.Found(pool.getFirst());
            default -> new Lookup.Ambiguous(pool);
        };
    }

    /** The reservation with exactly this id, whoever owns it. */
    private Optional<Reservation> exactly(String id) {
        String value = id.strip().toLowerCase(Locale.ROOT);
        try {
            ReservationId exact = new ReservationId(value);
            try {
                return store.find(exact);
            } catch (StoreUnavailableException e) {
                return state.find(exact);
            }
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }

    /**
     * Records a delivery's trigger once (see {@link ReservationStore#claim}), for front-end commands that change state
     * outside the reservations (admin drains, links): empty the first time, else what the first recorded.
     */
    public Optional<String> claim(String key, String value) {
        return store.claim(key, value);
    }

    /** The user's live reservations and the latest ended ones. */
    public List<Reservation> history(UserId user, int limit) {
        try {
            return store.byOwner(user, limit);
        } catch (StoreUnavailableException e) {
            return state.live().values().stream().filter(r -> r.owner().equals(user))
                    .sorted(Comparator.comparing(Reservation::requestedAt).reversed()).toList();
        }
    }

    /**
     * Drains or undrains a node. The store records it first, so a restart or another replica keeps it; if the store
     * cannot, {@link StoreUnavailableException} is thrown and nothing changed.
     */
    public void drain(NodeName node, boolean drained) {
        synchronized (drains) {
            Set<NodeName> next = new HashSet<>(state.drained());
            if (drained ? next.add(node) : next.remove(node)) {
                store.saveDrained(next);
            }
            event(new Event.Drain(node, drained));
        }
    }

    /**
     * Records what the owner was shown: the message later notices update in place, the Ready message, the latest
     * reminder. Only what changes a later decision is written (a queue position is not), so a long queue costs no writes.
     */
    @Override
    public synchronized void delivered(Notice notice, @Nullable String chatRef) {
        settled(notice);
        Optional<Reservation> current = state.find(notice.reservation().id());
        if (current.isEmpty()) {
            return;
        }
        Reservation r = current.get();
        Reservation next = r;
        if (chatRef != null && !chatRef.equals(r.chatRef())) {
            next = next.withChatRef(chatRef).withShown(notice.reservation().state());
        }
        if (notice instanceof Notice.Ready && r.state() == ReservationState.ACTIVE) {
            next = next.withShown(ReservationState.ACTIVE);
        }
        if (r.shown() != null && (next.shown() == null || next.shown().compareTo(r.shown()) < 0)) {
            next = next.withShown(r.shown());
        }
        Optional<Duration> lead = notice.reservation().latestReminder();
        if (notice instanceof Notice.Reminder && lead.isPresent() && Objects.equals(r.endsAt(), notice.reservation().endsAt())
                && (r.reminded() == null || r.reminded().compareTo(lead.get()) > 0)) {
            next = next.withReminded(lead.get());
        }
        if (next.equals(r)) {
            return;
        }
        try {
            Reservation saved = store.update(next, term);
            state = state.with(saved);
        } catch (StoreConflictException | StoreUnavailableException e) {
            stale |= e instanceof StoreConflictException;
            if (e instanceof StoreFencedException f) {
                fence(f);
            }
            LOG.log(Level.WARNING, "could not record the delivery to " + r.owner() + " about " + r.id() + "; it may be sent again: " + e.getMessage());
        }
    }

    @Override
    public synchronized void undelivered(Notice notice) {
        settled(notice);
    }

    private void settled(Notice notice) {
        String key = flightKey(notice);
        if (key != null) {
            inFlight.remove(key, notice);
        }
    }

    public void tick() {
        retryDue();
        event(new Event.Tick());
        reissue();
    }

    /**
     * Provisions again what failed for a transient reason and is due, and fails with the last reason what is still not
     * provisioned at the provision timeout. Runs before the tick's own timeout check, so the user hears that reason.
     */
    private void retryDue() {
        Instant now = clock.instant();
        Duration timeout = engine.limits().provisionTimeout();
        retries.pending().forEach((id, pending) -> {
            Optional<Reservation> r = state.find(id).filter(x -> x.state() == ReservationState.PROVISIONING);
            if (r.isEmpty()) {
                retries.done(id);
            } else if (!now.isBefore(r.get().updatedAt().plus(timeout))) {
                retries.done(id);
                serverFailed(id, "the server could not be started within " + Durations.format(timeout) + ": " + pending.reason());
            } else if (!now.isBefore(pending.next())) {
                run(List.of(new Effect.Provision(r.get())));
            }
        });
    }

    /** Issues again the Ready message and the latest reminder of ACTIVE reservations whose owner was not shown them. */
    private void reissue() {
        List<Notice> again = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            inFlight.values().removeIf(n -> state.find(n.reservation().id()).isEmpty());
            state.inState(ReservationState.ACTIVE).stream()
                    .flatMap(r -> timeline.undelivered(r, now).stream())
                    .filter(n -> inFlight.putIfAbsent(flightKey(n), n) == null)
                    .forEach(again::add);
        }
        if (!again.isEmpty()) {
            LOG.log(Level.INFO, "issuing again " + again.size() + " undelivered notice(s)");
            run(again.stream().<Effect>map(Effect.Notify::new).toList());
        }
    }

    /** Notices tracked until confirmed: the Ready message and the latest reminder of a reservation; null for the rest. */
    private static @Nullable String flightKey(Notice n) {
        return switch (n) {
            case Notice.Ready r -> r.reservation().id() + "/ready";
            case Notice.Reminder r -> r.reservation().id() + "/reminder";
            default -> null;
        };
    }

    /** Caller holds the lock. */
    private void track(List<Effect> effects) {
        for (Effect e : effects) {
            String key = e instanceof Effect.Notify(Notice n) ? flightKey(n) : null;
            if (key != null) {
                inFlight.put(key, ((Effect.Notify) e).notice());
            }
        }
    }

    public Optional<Instant> nextWakeup() {
        return Stream.of(engine.nextWakeup(state), retries.nextWakeup()).flatMap(Optional::stream).min(Comparator.naturalOrder());
    }

    @Override
    public void serverReady(ReservationId id, ServerAccess access) {
        event(new Event.ServerReady(id, access));
    }

    @Override
    public void serverFailed(ReservationId id, String reason) {
        event(new Event.ServerFailed(id, reason));
    }

    @Override
    public void serverProgress(ReservationId id, String text) {
        event(new Event.ServerProgress(id, text));
    }

    @Override
    public void serverVanished(ReservationId id, String reason) {
        if (retries.retrying(id) && state.find(id).filter(r -> r.state() == ReservationState.PROVISIONING).isPresent()) {
            // A reconcile finds no server for it because the last attempt failed; the next attempt creates it.
            LOG.log(Level.INFO, "the server of " + id + " is not there yet; provisioning is being retried");
            return;
        }
        event(new Event.ServerVanished(id, reason));
    }

    @Override
    public void nodesChanged(ClusterSnapshot snapshot) {
        event(new Event.ClusterChanged(snapshot));
    }

    private void event(Event e) {
        List<Effect> effects = List.of();
        try {
            effects = applyAndRetry(e);
        } catch (StoreUnavailableException | StoreConflictException ex) {
            LOG.log(Level.ERROR, "could not persist " + e.getClass().getSimpleName() + "; the next event reloads and repairs: " + ex.getMessage());
        }
        run(takeOwed());
        run(effects);
    }

    /** Applies an event; a lost race reloads the state from the store and decides again on what is there now. */
    private synchronized List<Effect> applyAndRetry(Event e) {
        if (fenced) {
            throw new StoreFencedException("term " + term + " was fenced: another replica leads");
        }
        Event next = e;
        for (int attempt = 1; ; attempt++) {
            if (stale) {
                rebuild();
            }
            try {
                return apply(next);
            } catch (StoreConflictException conflict) {
                LOG.log(Level.INFO, "store conflict, reloading: " + conflict.getMessage());
                stale = true;
                if (!landed.isEmpty()) {
                    // Part of the decision stands (its effects are owed): applying the event again would apply it twice.
                    next = new Event.Tick();
                }
                if (attempt == ATTEMPTS) {
                    throw conflict;
                }
            }
        }
    }

    private synchronized void markStale() {
        stale = true;
    }

    /**
     * Decides, persists the changed reservations, and only then adopts the new state. Caller holds the lock.
     * Ends are written before starts, so a crash between two writes never leaves GPUs held twice in the store.
     * A decision that places books first (the fence: refused once a newer term was taken); a request placed at once is
     * first created as submitted, so that every booked reservation exists before its booking (docs/storage.md).
     * If a write fails after others landed, the effects of those that landed are owed (a cancelled server is
     * released, its owner told), the memory is marked stale, and the next call reloads and decides the rest again.
     */
    private List<Effect> apply(Event e) {
        landed = Map.of();
        Decision d = engine.decide(state, clock.instant(), e);
        SchedulerState next = d.state();
        List<Effect> effects = new ArrayList<>(d.effects());
        List<Reservation> writes = new ArrayList<>(d.changed().stream()
                .sorted(Comparator.comparing((Reservation r) -> r.state() != ReservationState.ENDED)).toList());
        Map<ReservationId, Reservation> written = new LinkedHashMap<>();
        Map<ReservationId, Reservation> submitted = new LinkedHashMap<>();
        try {
            if (writes.stream().anyMatch(this::places)) {
                for (int i = 0; i < writes.size(); i++) {
                    Reservation r = writes.get(i);
                    if (r.version() == 0 && r.state().holdsGpus() && e instanceof Event.Submitted(Reservation asked)
                            && asked.id().equals(r.id())) {
                        Reservation created = store.create(asked, term);
                        submitted.put(created.id(), created);
                        writes.set(i, r.withVersion(created.version()));
                    }
                }
                store.book(term, d.state().live().values().stream().filter(r -> r.state().holdsGpus())
                        .map(Reservation::id).collect(Collectors.toSet()));
            }
            for (Reservation r : writes) {
                Reservation saved = r.version() == 0 ? store.create(r, term) : store.update(r, term);
                written.put(saved.id(), saved);
                next = next.with(saved);
                for (int i = 0; i < effects.size(); i++) {
                    effects.set(i, withSaved(effects.get(i), saved));
                }
            }
        } catch (StoreUnavailableException | StoreConflictException ex) {
            if (ex instanceof StoreFencedException f) {
                fence(f);
            }
            if (!written.isEmpty() || !submitted.isEmpty()) {
                stale = true;
                Map<ReservationId, Reservation> stands = new LinkedHashMap<>(submitted);
                stands.putAll(written);
                landed = Map.copyOf(stands);
                List<Effect> due = effects.stream().filter(eff -> concerns(eff).filter(written::containsKey).isPresent()).toList();
                track(due);
                owed.addAll(due);
            }
            throw ex;
        }
        track(effects);
        SchedulerState adopted = next;
        state = adopted;
        watchers.forEach(w -> w.accept(adopted));
        return effects;
    }

    /** Whether writing {@code r} takes GPUs that the state before the decision left free: it must be booked first. */
    private boolean places(Reservation r) {
        return r.state().holdsGpus() && state.find(r.id()).filter(before -> before.state().holdsGpus()).isEmpty();
    }

    private void fence(StoreFencedException e) {
        if (!fenced) {
            fenced = true;
            LOG.log(Level.ERROR, "a newer leadership term refused a write of term " + term + "; this replica stops leading: " + e.getMessage());
            onFenced.forEach(Runnable::run);
        }
    }

    private static Optional<ReservationId> concerns(Effect e) {
        return switch (e) {
            case Effect.Provision(Reservation r) -> Optional.of(r.id());
            case Effect.Release(Reservation r) -> Optional.of(r.id());
            case Effect.Notify(Notice n) -> Optional.of(n.reservation().id());
            case Effect.Refused(ReservationId id, String reason) -> Optional.empty();
        };
    }

    private static Effect withSaved(Effect e, Reservation saved) {
        return switch (e) {
            case Effect.Provision(Reservation r) when r.id().equals(saved.id()) -> new Effect.Provision(saved);
            case Effect.Release(Reservation r) when r.id().equals(saved.id()) -> new Effect.Release(saved);
            default -> e;
        };
    }

    /** Notices go first, so the owner hears "starting" before any progress the cluster reports for it. */
    private void run(List<Effect> effects) {
        if (fenced) {
            return;
        }
        List<Effect> ordered = Stream.concat(effects.stream().filter(Effect.Notify.class::isInstance),
                effects.stream().filter(e -> !(e instanceof Effect.Notify))).toList();
        for (Effect e : ordered) {
            try {
                switch (e) {
                    case Effect.Provision(Reservation r) -> provision(r);
                    case Effect.Release(Reservation r) -> cluster.release(r);
                    case Effect.Notify(Notice n) -> notifier.notify(n);
                    case Effect.Refused refused -> {
                    }
                }
            } catch (RuntimeException ex) {
                LOG.log(Level.ERROR, "effect " + e.getClass().getSimpleName() + " failed: " + ex.getMessage(), ex);
                if (e instanceof Effect.Provision(Reservation r)) {
                    serverFailed(r.id(), "could not start the server: " + ex.getMessage());
                }
            }
        }
    }

    /**
     * Looks up the keys and asks the cluster for the server. A transient failure (GitHub or the Kubernetes API briefly
     * unavailable) is tried again from {@link #tick} with backoff until the provision timeout, and the owner sees it
     * as progress; a permanent one fails the reservation at once with its reason.
     */
    private void provision(Reservation r) {
        try {
            cluster.provision(spec(r));
            if (retries.done(r.id())) {
                serverProgress(r.id(), "the server was created on a later attempt; waiting for it to start");
            }
        } catch (ProvisionException.Transient e) {
            ProvisionRetries.Pending p = retries.failed(r.id(), e.reason(), clock.instant());
            LOG.log(Level.WARNING, "provisioning " + r.id() + " failed (attempt " + p.attempts() + "), retrying at " + p.next()
                    + ": " + e.getMessage());
            serverProgress(r.id(), e.reason() + "; retrying…");
        } catch (ProvisionException.Permanent e) {
            retries.done(r.id());
            LOG.log(Level.WARNING, "provisioning " + r.id() + " failed for good: " + e.getMessage());
            serverFailed(r.id(), e.reason());
        }
    }

    private ServerSpec spec(Reservation r) {
        List<SshPublicKey> keys = new ArrayList<>();
        GithubLogin owner = switch (identity.authorize(r.owner())) {
            case AccessDecision.Granted(GithubLogin login, List<SshPublicKey> k) -> {
                keys.addAll(k);
                yield login;
            }
            case AccessDecision.Denied(String reason) -> throw ProvisionException.permanent(reason, null);
            case AccessDecision.Unavailable(String reason) ->
                    throw ProvisionException.retryable("GitHub did not answer when asked for your SSH keys", null);
        };
        for (GithubLogin c : r.options().collaborators()) {
            switch (identity.authorizeLogin(c)) {
                case AccessDecision.Granted(GithubLogin l, List<SshPublicKey> k) -> keys.addAll(k);
                // a collaborator who lost access is left out; one GitHub could not answer for is waited for
                case AccessDecision.Denied(String reason) -> LOG.log(Level.INFO, "leaving " + c + " out of " + r.id() + ": " + reason);
                case AccessDecision.Unavailable(String reason) ->
                        throw ProvisionException.retryable("GitHub did not answer when asked for the SSH keys of " + c, null);
            }
        }
        return new ServerSpec(r, owner, keys);
    }

    private ReservationId newId(String gpuType) {
        for (int i = 0; i < 50; i++) {
            ReservationId id = i < 25 ? ReservationId.of(gpuType, random.nextLong())
                    : new ReservationId(gpuType + "-" + String.format("%06x", random.nextInt(1 << 24)));
            if (state.find(id).isEmpty() && store.find(id).isEmpty()) {
                return id;
            }
        }
        throw new StoreConflictException("no free reservation id for " + gpuType);
    }
}
