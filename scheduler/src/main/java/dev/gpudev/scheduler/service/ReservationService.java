package dev.gpudev.scheduler.service;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.app.ActionOutcome;
import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.app.Lookup;
import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.delivery.InFlight;
import dev.gpudev.scheduler.delivery.Reminders;
import dev.gpudev.scheduler.engine.Effect;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.engine.Event;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.policy.Validation;
import dev.gpudev.scheduler.port.AccessDecision;
import dev.gpudev.scheduler.port.Cluster;
import dev.gpudev.scheduler.port.DeliveryListener;
import dev.gpudev.scheduler.port.Identity;
import dev.gpudev.scheduler.port.LeaderTerm;
import dev.gpudev.scheduler.port.Notifier;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.port.StoreConflictException;
import dev.gpudev.scheduler.port.StoreFencedException;
import dev.gpudev.scheduler.port.StoreUnavailableException;

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
 * and is not on its way is issued again ({@code delivery.Ledger#undelivered}). A crash between the delivery and its record
 * sends that one notice twice; the main message is updated in place, so only a reminder or the "ready" reply repeats.
 * Requests and actions carry an idempotency key (Slack's trigger id or action ts); the store records it with a
 * conditional write together with what the first delivery was about to do, so a duplicate delivery takes effect
 * once, and a retry of a delivery that crashed before its write still takes effect.
 */
public final class ReservationService implements DeliveryListener {
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
    private final Clock clock;
    private final ProvisionRetries retries;
    private final Claims claims;
    private final ReservationIds ids;
    private final InFlight inFlight;
    private final Commit commit;
    private final EffectRunner runner;
    private final ClusterEvents clusterEvents;
    private final List<Consumer<SchedulerState>> watchers = new CopyOnWriteArrayList<>();
    /** Serializes drains, so that each writes the set the one before it left. */
    private final Object drains = new Object();
    /** The leadership term this service writes in: taken by {@link #start}; 0 before (the oldest, refused on any item a leader wrote). */
    private volatile long term;
    /** A newer term refused a write: another replica leads; this one decides and acts no more. */
    private volatile boolean fenced;
    private final List<Runnable> onFenced = new CopyOnWriteArrayList<>();

    /** Effects run on the thread that committed them: for tests that step through a world one call at a time. */
    public ReservationService(Engine engine, RequestValidator validator, ReservationStore store, Cluster cluster,
                              Identity identity, Notifier notifier, Clock clock, RandomGenerator random) {
        this(engine, validator, store, cluster, identity, notifier, clock, random, Runnable::run);
    }

    /** @param effects runs the effects of committed decisions (provisioning, releases, notices); a bounded pool in production */
    public ReservationService(Engine engine, RequestValidator validator, ReservationStore store, Cluster cluster,
                              Identity identity, Notifier notifier, Clock clock, RandomGenerator random, Executor effects) {
        this.engine = engine;
        this.validator = validator;
        this.store = store;
        this.cluster = cluster;
        this.identity = identity;
        this.clock = clock;
        this.retries = new ProvisionRetries(random);
        this.claims = new Claims(store);
        this.ids = new ReservationIds(random, store);
        this.inFlight = new InFlight(new Reminders(engine.limits()));
        this.commit = new Commit(engine, store, clock, watchers);
        this.clusterEvents = new ClusterEvents(this::event, this::state, retries);
        this.runner = new EffectRunner(effects, cluster, notifier, identity, retries, clock, () -> fenced, clusterEvents);
    }

    /**
     * Takes a new leadership term, rebuilds the state from the store (queued, provisioning and active reservations with
     * the reminders already sent) and the cluster, reconciles the two, and listens. Safe to call after a crash at any point.
     */
    public void start() {
        List<Effect> reconcile = takeOver();
        cluster.listen(clusterEvents);
        runner.run(reconcile);
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
    private synchronized List<Effect> takeOver() {
        LeaderTerm taken = store.lead();
        term = taken.value();
        LOG.log(Level.INFO, "writing in leadership term " + term);
        return rebuild(settle(taken.booked()));
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

    /**
     * Reads the store again at the next event, adopting what other writers stored meanwhile: requests a replica that
     * was being fenced accepted as queued, and anything an index read missed at the start (the bot calls it on every
     * reconcile).
     */
    public void reload() {
        synchronized (this) {
            commit.markBehind();
        }
        tick();
    }

    /**
     * Reloads the live reservations (and {@code read}, the newer of each) and returns what reconciles the cluster with
     * them: releasing servers whose reservation has ended, and provisioning again what is PROVISIONING (provisioning is
     * idempotent). Caller holds the lock.
     */
    private List<Effect> rebuild(List<Reservation> read) {
        Map<ReservationId, Reservation> live = new LinkedHashMap<>();
        Stream.concat(store.live().stream(), read.stream()).filter(Reservation::live)
                .forEach(r -> live.merge(r.id(), r, (x, y) -> x.version() >= y.version() ? x : y));
        // The live index lags writes: what this replica knows as live, or runs a server for, is read by key before it
        // is dropped, or a reservation placed a moment ago would lose its server and its GPUs would be booked twice.
        Set<ReservationId> servers = serversOrNone();
        Map<ReservationId, Reservation> gone = new LinkedHashMap<>();
        Stream.concat(state().live().keySet().stream(), servers.stream()).filter(id -> !live.containsKey(id)).distinct()
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
        commit.adopt(fresh);
        return effects;
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

    /** Called whenever the state changed: the queue-status message and metrics follow it. */
    public void watch(Consumer<SchedulerState> watcher) {
        watchers.add(watcher);
    }

    public SchedulerState state() {
        return commit.state();
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
        Validation shape = validator.validate(user, cmd, state().cluster(), 0);
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
            synchronized (this) {
                commit.markBehind();
            }
            outcome = new ReserveOutcome.Refused(RACE);
        }
        runner.run(effects);
        return outcome;
    }

    /**
     * Claims the key, validates again under the lock (so concurrent requests cannot pass a quota together), persists.
     * The key is claimed first so that a duplicate is recognised as one, not refused for the quota its first took.
     * Caller holds the lock; {@code effects} collects what is due whatever the outcome.
     */
    private ReserveOutcome submit(UserId user, Command.Reserve cmd, @Nullable String key, List<Effect> effects) {
        if (commit.behind()) {
            effects.addAll(rebuild(List.of()));
        }
        Optional<GpuType> type = cmd.gpuType() == null ? Optional.empty() : validator.catalog().find(cmd.gpuType());
        @Nullable ReservationId id = null;
        if (key != null && type.isPresent()) {
            id = ids.next(type.get().name(), state());
            Optional<ReservationId> first = claims.reserve(key, id);
            if (first.isPresent()) {
                // The first delivery chose this id; if it never got to write it (a crash), this one does.
                id = first.get();
                if (state().find(id).isPresent() || store.find(id).isPresent()) {
                    return new ReserveOutcome.Duplicate();
                }
            }
        }
        SchedulerState now = state();
        Validation v = validator.validate(user, cmd, now.cluster(), now.gpusOf(user));
        if (v instanceof Validation.Invalid invalid) {
            return new ReserveOutcome.Refused(invalid.reason());
        }
        var request = ((Validation.Valid) v).request();
        if (id == null) {
            id = ids.next(request.gpuType(), state());
        }
        Reservation queued = Reservation.queued(id, user, request.gpuType(), request.gpus(), request.duration(),
                request.options(), clock.instant());
        Commit.Result result = applyOnce(new Event.Submitted(queued));
        effects.addAll(result.effects());
        Reservation stored;
        switch (result.failure()) {
            case null -> stored = state().find(queued.id()).or(() -> store.find(queued.id())).orElseThrow();
            case StoreConflictException e -> {
                if (!result.landed().containsKey(queued.id())) {
                    if (key != null && store.find(queued.id()).isPresent()) {
                        return new ReserveOutcome.Duplicate();
                    }
                    throw e;
                }
                // Ours stands; another reservation of the same decision changed meanwhile: reload, decide the rest again.
                Commit.Result rest = applyAndRetry(new Event.Tick());
                effects.addAll(rest.effects());
                if (rest.failure() != null) {
                    LOG.log(Level.WARNING, "could not schedule after a lost race; the next event will: " + rest.failure().getMessage());
                }
                stored = state().find(queued.id()).orElse(result.landed().get(queued.id()));
            }
            case RuntimeException e -> {
                // Written before the failure: it stands, and the user must hear so, or a retry would reserve twice.
                stored = result.landed().get(queued.id());
                if (stored == null) {
                    throw e;
                }
            }
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
        return act(actor, idOrPrefix, admin, Claims.Action.CANCEL, idempotencyKey,
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
        return act(actor, idOrPrefix, admin, Claims.Action.EXTEND, idempotencyKey,
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
    private ActionOutcome act(UserId actor, String idOrPrefix, boolean admin, Claims.Action action, @Nullable String key,
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
        Commit.Result result;
        try {
            // Claim, check and apply under one lock: a second click or delivery waits for the first and then sees its effect.
            synchronized (this) {
                // Index reads may lag; the mark must be taken from the reservation as it is.
                found = store.find(listed.id()).orElse(listed);
                if (key != null) {
                    Optional<String> first = claims.action(action, key, found.id(), mark.apply(found));
                    if (first.isPresent() && applied.test(first.get(), found)) {
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
                result = applyAndRetry(event.apply(found));
            }
        } catch (StoreUnavailableException e) {
            return new ActionOutcome.Refused(STORE_DOWN);
        }
        runner.run(result.effects());
        switch (result.failure()) {
            case null -> {
            }
            case StoreUnavailableException e -> {
                Reservation written = result.landed().get(listed.id());
                return written == null ? new ActionOutcome.Refused(STORE_DOWN)
                        : new ActionOutcome.Done(written, message.apply(written) + STORE_SLOW);
            }
            case RuntimeException e -> {
                return new ActionOutcome.Refused(RACE);
            }
        }
        for (Effect e : result.effects()) {
            if (e instanceof Effect.Refused(ReservationId id, String reason) && id.equals(found.id())) {
                return new ActionOutcome.Refused("Cannot do that for " + found.id() + ": " + reason + ".");
            }
        }
        Reservation before = found;
        Reservation now = state().find(found.id()).or(() -> store.find(before.id())).orElse(found);
        return new ActionOutcome.Done(now, message.apply(now));
    }

    /**
     * Resolves a full id or a unique prefix among the actor's reservations, or everyone's when {@code everyone} (admins).
     * Reads at most {@link #LOOKUP_LIMIT} reservations, so other people's ids never make the actor's own ambiguous.
     */
    public Lookup find(UserId actor, @Nullable String idOrPrefix, boolean everyone) {
        if (idOrPrefix == null || idOrPrefix.isBlank()) {
            List<Reservation> mine = state().live().values().stream().filter(r -> r.owner().equals(actor)).toList();
            return switch (mine.size()) {
                case 0 -> new Lookup.NotFound("You have no live reservations.");
                case 1 -> new Lookup.Found(mine.getFirst());
                default -> new Lookup.Ambiguous(mine);
            };
        }
        String prefix = idOrPrefix.strip().toLowerCase(Locale.ROOT);
        // Live reservations first, from memory: a long history under the same prefix never hides the one that is live,
        // and the usual lookup (extend, cancel, show of a live server) reads nothing from the store.
        List<Reservation> live = state().live().values().stream()
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
                return state().find(exact);
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
        return claims.raw(key, value);
    }

    /** The user's live reservations and the latest ended ones. */
    public List<Reservation> history(UserId user, int limit) {
        try {
            return store.byOwner(user, limit);
        } catch (StoreUnavailableException e) {
            return state().live().values().stream().filter(r -> r.owner().equals(user))
                    .sorted(Comparator.comparing(Reservation::requestedAt).reversed()).toList();
        }
    }

    /**
     * Drains or undrains a node. The store records it first, so a restart or another replica keeps it; if the store
     * cannot, {@link StoreUnavailableException} is thrown and nothing changed.
     */
    public void drain(NodeName node, boolean drained) {
        synchronized (drains) {
            Set<NodeName> next = new HashSet<>(state().drained());
            if (drained ? next.add(node) : next.remove(node)) {
                store.saveDrained(next);
            }
            event(new Event.Drain(node, drained));
        }
    }

    /** Recorded by the engine ({@link Event.Delivered}); a failed record only means the notice may be sent again. */
    @Override
    public void delivered(Notice notice, @Nullable String chatRef) {
        inFlight.settled(notice);
        event(new Event.Delivered(notice, chatRef));
    }

    @Override
    public void undelivered(Notice notice) {
        inFlight.settled(notice);
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
            Optional<Reservation> r = state().find(id).filter(x -> x.state() == ReservationState.PROVISIONING);
            if (r.isEmpty()) {
                retries.done(id);
            } else if (!now.isBefore(r.get().updatedAt().plus(timeout))) {
                retries.done(id);
                event(new Event.ServerFailed(id, "the server could not be started within " + Durations.format(timeout) + ": " + pending.reason()));
            } else if (!now.isBefore(pending.next())) {
                runner.run(List.of(new Effect.Provision(r.get())));
            }
        });
    }

    /** Issues again the Ready message and the latest reminder of ACTIVE reservations whose owner was not shown them. */
    private void reissue() {
        SchedulerState now = state();
        List<Notice> again = inFlight.reissue(now.inState(ReservationState.ACTIVE), now.live().keySet(), clock.instant());
        if (!again.isEmpty()) {
            LOG.log(Level.INFO, "issuing again " + again.size() + " undelivered notice(s)");
            runner.run(again.stream().<Effect>map(Effect.Notify::new).toList());
        }
    }

    public Optional<Instant> nextWakeup() {
        return Stream.of(engine.nextWakeup(state()), retries.nextWakeup()).flatMap(Optional::stream).min(Comparator.naturalOrder());
    }

    /** Commits an event and runs its effects; a store failure is logged, and the next event reloads and repairs. */
    void event(Event e) {
        Commit.Result result;
        try {
            result = applyAndRetry(e);
        } catch (StoreFencedException fencedAlready) {
            return;
        }
        if (result.failure() != null) {
            LOG.log(e instanceof Event.Delivered ? Level.WARNING : Level.ERROR, "could not persist " + e.getClass().getSimpleName()
                    + "; the next event reloads and repairs: " + result.failure().getMessage());
        }
        runner.run(result.effects());
    }

    /**
     * Applies an event; a lost race reloads the state from the store and decides again on what is there now. Returns
     * everything due, the reconciling of a reload included; a failure is in the result, not thrown.
     *
     * @throws StoreFencedException when this replica was fenced before: it decides nothing more
     */
    private synchronized Commit.Result applyAndRetry(Event e) {
        if (fenced) {
            throw new StoreFencedException("term " + term + " was fenced: another replica leads");
        }
        Commit.Result all = Commit.Result.NOTHING;
        Event next = e;
        for (int attempt = 1; ; attempt++) {
            Commit.Result r = applyOnce(next).after(all);
            all = r;
            if (!(r.failure() instanceof StoreConflictException conflict)) {
                return r;
            }
            LOG.log(Level.INFO, "store conflict, reloading: " + conflict.getMessage());
            if (!r.landed().isEmpty()) {
                // Part of the decision stands (its effects are due): applying the event again would apply it twice.
                next = new Event.Tick();
            }
            if (attempt == ATTEMPTS) {
                return r;
            }
        }
    }

    /** One commit, after a reload if the memory is behind; notices on their way are tracked. Caller holds the lock. */
    private Commit.Result applyOnce(Event e) {
        List<Effect> reconcile = commit.behind() ? rebuild(List.of()) : List.of();
        Commit.Result r = commit.apply(e, term);
        if (r.failure() instanceof StoreFencedException f) {
            fence(f);
        }
        for (Effect eff : r.effects()) {
            if (eff instanceof Effect.Notify(Notice n)) {
                inFlight.track(n);
            }
        }
        return r.after(new Commit.Result(reconcile, Map.of(), null));
    }

    private void fence(StoreFencedException e) {
        if (!fenced) {
            fenced = true;
            LOG.log(Level.ERROR, "a newer leadership term refused a write of term " + term + "; this replica stops leading: " + e.getMessage());
            onFenced.forEach(Runnable::run);
        }
    }
}
