package dev.gpudev.scheduler.service;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.engine.Decision;
import dev.gpudev.scheduler.engine.Effect;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.engine.Event;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.GithubLogin;
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
import dev.gpudev.scheduler.port.Identity;
import dev.gpudev.scheduler.port.Notifier;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.port.ServerSpec;
import dev.gpudev.scheduler.port.StoreConflictException;
import dev.gpudev.scheduler.port.StoreUnavailableException;

/**
 * The use cases. Each turns into one engine event; the decision's changed reservations are written to the store
 * before any effect runs (so nobody is told of a reservation that is not stored), and effects run outside the lock.
 */
public final class ReservationService implements ClusterListener {
    private static final System.Logger LOG = System.getLogger(ReservationService.class.getName());
    private static final String STORE_DOWN = "The reservation store is not answering, so nothing was changed. Try again in a minute.";

    private final Engine engine;
    private final RequestValidator validator;
    private final ReservationStore store;
    private final Cluster cluster;
    private final Identity identity;
    private final Notifier notifier;
    private final Clock clock;
    private final RandomGenerator random;
    private final List<Consumer<SchedulerState>> watchers = new CopyOnWriteArrayList<>();
    private volatile SchedulerState state = SchedulerState.EMPTY;

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
    }

    /** Rebuilds the state from the store and the cluster, re-provisions what was being provisioned, and listens. */
    public void start() {
        synchronized (this) {
            state = SchedulerState.of(store.live(), cluster.snapshot());
        }
        cluster.listen(this);
        List<Effect> effects = new ArrayList<>();
        state.live().values().stream()
                .filter(r -> r.state() == ReservationState.PROVISIONING)
                .forEach(r -> effects.add(new Effect.Provision(r)));
        run(effects);
        tick();
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

    public ReserveOutcome reserve(UserId user, Command.Reserve cmd, @Nullable String idempotencyKey) {
        int held = state.live().values().stream().filter(r -> r.owner().equals(user)).mapToInt(Reservation::gpus).sum();
        Validation v = validator.validate(user, cmd, state.cluster(), held);
        if (v instanceof Validation.Invalid invalid) {
            return new ReserveOutcome.Refused(invalid.reason());
        }
        var request = ((Validation.Valid) v).request();
        Optional<String> denied = refusal(identity.authorize(user));
        if (denied.isPresent()) {
            return new ReserveOutcome.Refused(denied.get());
        }
        for (GithubLogin login : request.options().collaborators()) {
            Optional<String> no = refusal(identity.authorizeLogin(login));
            if (no.isPresent()) {
                return new ReserveOutcome.Refused("Cannot add " + login + ": " + no.get());
            }
        }
        List<Effect> effects;
        Reservation stored;
        try {
            if (idempotencyKey != null && !store.claimOnce(idempotencyKey)) {
                return new ReserveOutcome.Duplicate();
            }
            synchronized (this) {
                Reservation queued = Reservation.queued(newId(request.gpuType()), user, request.gpuType(), request.gpus(),
                        request.duration(), request.options(), clock.instant());
                effects = apply(new Event.Submitted(queued));
                stored = state.find(queued.id()).or(() -> store.find(queued.id())).orElseThrow();
            }
        } catch (StoreUnavailableException e) {
            return new ReserveOutcome.Refused(STORE_DOWN);
        } catch (StoreConflictException e) {
            return new ReserveOutcome.Refused("Another change to the same reservation won the race; please try again.");
        }
        Notice first = effects.stream()
                .flatMap(e -> e instanceof Effect.Notify(Notice n) && n.reservation().id().equals(stored.id()) ? Stream.of(n) : Stream.empty())
                .findFirst().orElse(new Notice.Queued(stored, 1, null));
        run(effects);
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
        return act(actor, idOrPrefix, admin, r -> new Event.CancelRequested(r.id(),
                actor.equals(r.owner()) ? "cancelled by its owner" : "cancelled by an admin"),
                r -> "Cancelled " + r.id() + ".");
    }

    public ActionOutcome extend(UserId actor, String idOrPrefix, Duration by, boolean admin) {
        return act(actor, idOrPrefix, admin, r -> new Event.ExtendRequested(r.id(), by, admin && !actor.equals(r.owner())),
                r -> r.endsAt() == null ? "Extended " + r.id() + " by " + Durations.format(by) + "."
                        : "Extended " + r.id() + " by " + Durations.format(by) + ": it now ends at " + r.endsAt() + ".");
    }

    private ActionOutcome act(UserId actor, String idOrPrefix, boolean admin,
                              Function<Reservation, Event> event,
                              Function<Reservation, String> message) {
        Lookup lookup = find(actor, idOrPrefix, admin);
        if (!(lookup instanceof Lookup.Found(Reservation found))) {
            return new ActionOutcome.Refused(lookup instanceof Lookup.NotFound(String why) ? why
                    : "`" + idOrPrefix + "` matches several reservations; give more of the id.");
        }
        if (!found.owner().equals(actor) && !admin) {
            return new ActionOutcome.Refused("Reservation " + found.id() + " is not yours.");
        }
        if (!found.live()) {
            return new ActionOutcome.Refused("Reservation " + found.id() + " has already ended (" + found.detail() + ").");
        }
        List<Effect> effects;
        try {
            effects = applyAndRetry(event.apply(found));
        } catch (StoreUnavailableException e) {
            return new ActionOutcome.Refused(STORE_DOWN);
        }
        run(effects);
        for (Effect e : effects) {
            if (e instanceof Effect.Refused(ReservationId id, String reason) && id.equals(found.id())) {
                return new ActionOutcome.Refused("Cannot do that for " + found.id() + ": " + reason + ".");
            }
        }
        Reservation now = state.find(found.id()).or(() -> store.find(found.id())).orElse(found);
        return new ActionOutcome.Done(now, message.apply(now));
    }

    /** Resolves a full id or a unique prefix among the actor's reservations (everyone's for admins and lookups). */
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
        List<Reservation> matches;
        try {
            matches = store.byIdPrefix(prefix);
        } catch (StoreUnavailableException e) {
            matches = state.live().values().stream().filter(r -> r.id().value().startsWith(prefix)).toList();
        }
        List<Reservation> exact = matches.stream().filter(r -> r.id().value().equals(prefix)).toList();
        if (exact.size() == 1) {
            return new Lookup.Found(exact.getFirst());
        }
        List<Reservation> live = matches.stream().filter(Reservation::live).toList();
        List<Reservation> pool = live.isEmpty() ? matches : live;
        return switch (pool.size()) {
            case 0 -> new Lookup.NotFound("No reservation `" + prefix + "`. `/gpu list` shows yours.");
            case 1 -> new Lookup.Found(pool.getFirst());
            default -> new Lookup.Ambiguous(pool);
        };
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

    public void drain(NodeName node, boolean drained) {
        run(applyAndRetry(new Event.Drain(node, drained)));
    }

    /** Remembers which chat message shows this reservation, so later notices update it in place. */
    public synchronized void recordChatRef(ReservationId id, String ref) {
        state.find(id).ifPresent(r -> {
            try {
                state = state.with(store.update(r.withChatRef(ref)));
            } catch (StoreConflictException | StoreUnavailableException e) {
                LOG.log(Level.WARNING, "could not record the chat message of " + id + ": " + e.getMessage());
            }
        });
    }

    public void tick() {
        try {
            run(applyAndRetry(new Event.Tick()));
        } catch (StoreUnavailableException e) {
            LOG.log(Level.WARNING, "tick postponed, store unavailable: " + e.getMessage());
        }
    }

    public Optional<Instant> nextWakeup() {
        return engine.nextWakeup(state);
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
        event(new Event.ServerVanished(id, reason));
    }

    @Override
    public void nodesChanged(ClusterSnapshot snapshot) {
        event(new Event.ClusterChanged(snapshot));
    }

    private void event(Event e) {
        try {
            run(applyAndRetry(e));
        } catch (StoreUnavailableException ex) {
            LOG.log(Level.ERROR, "could not persist " + e + "; the periodic reconcile will repair it: " + ex.getMessage());
        }
    }

    private List<Effect> applyAndRetry(Event e) {
        synchronized (this) {
            try {
                return apply(e);
            } catch (StoreConflictException conflict) {
                LOG.log(Level.INFO, "store conflict, reloading: " + conflict.getMessage());
                state = SchedulerState.of(store.live(), state.cluster()).withDrained(state.drained());
                return apply(e);
            }
        }
    }

    /** Decides, persists the changed reservations, and only then adopts the new state. Caller holds the lock. */
    private List<Effect> apply(Event e) {
        Decision d = engine.decide(state, clock.instant(), e);
        SchedulerState next = d.state();
        List<Effect> effects = new ArrayList<>(d.effects());
        for (Reservation r : d.changed()) {
            Reservation saved = r.version() == 0 ? store.create(r) : store.update(r);
            next = next.with(saved);
            for (int i = 0; i < effects.size(); i++) {
                effects.set(i, withSaved(effects.get(i), saved));
            }
        }
        SchedulerState adopted = next;
        state = adopted;
        watchers.forEach(w -> w.accept(adopted));
        return effects;
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

    private void provision(Reservation r) {
        List<SshPublicKey> keys = new ArrayList<>();
        GithubLogin owner;
        switch (identity.authorize(r.owner())) {
            case AccessDecision.Granted(GithubLogin login, List<SshPublicKey> k) -> {
                owner = login;
                keys.addAll(k);
            }
            case AccessDecision.Denied(String reason) -> {
                serverFailed(r.id(), reason);
                return;
            }
            case AccessDecision.Unavailable(String reason) -> {
                serverFailed(r.id(), reason);
                return;
            }
        }
        for (GithubLogin c : r.options().collaborators()) {
            if (identity.authorizeLogin(c) instanceof AccessDecision.Granted(GithubLogin l, List<SshPublicKey> k)) {
                keys.addAll(k);
            }
        }
        cluster.provision(new ServerSpec(r, owner, keys));
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
