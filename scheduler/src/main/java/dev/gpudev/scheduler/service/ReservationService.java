package dev.gpudev.scheduler.service;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.app.ActionOutcome;
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
import dev.gpudev.scheduler.idle.IdleRule;
import dev.gpudev.scheduler.model.Booking;
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
    static final String STORE_DOWN = "The reservation store is not answering, so nothing was changed. Try again in a minute.";
    static final String STORE_SLOW = " (The store stumbled on a follow-up change; the bot repairs it by itself.)";
    static final String RACE = "Another change to the same reservation won the race; please try again.";
    private static final String HANDED_OVER = "This bot replica has just handed over to another one, so nothing was changed."
            + " Try again in a few seconds.";
    private static final int ATTEMPTS = 3;
    /** At most this many reservations are read to resolve an id prefix: enough to offer a choice, never a whole partition. */
    public static final int LOOKUP_LIMIT = Lookups.LIMIT;

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
    private final Repair repair;
    private final Lookups lookups;
    private final Actions actions;
    private final Edits edits;
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
        this.repair = new Repair(store, cluster, commit);
        this.lookups = new Lookups(store, commit::state);
        this.clusterEvents = new ClusterEvents(this::event, this::state, retries);
        this.runner = new EffectRunner(effects, cluster, notifier, identity, retries, clock, () -> fenced, clusterEvents);
        this.actions = new Actions(this, lookups, claims, store, runner);
        this.edits = new Edits(lookups, actions, identity, cluster, runner, validator.jupyter());
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
     * settles what it booked last (see {@link Repair#settle}) and reads the store.
     */
    private synchronized List<Effect> takeOver() {
        LeaderTerm taken = store.lead();
        term = taken.value();
        LOG.log(Level.INFO, "writing in leadership term " + term);
        return repair.reload(repair.settle(taken.booked(), term));
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

    public Cluster cluster() {
        return cluster;
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
        return reserve(user, cmd, idempotencyKey, null);
    }

    /**
     * Books {@code cmd} for a window from {@code start}: refused at once, with the nearest windows that would work, when the
     * booking limits or the timeline cannot hold it. {@code zone}: the owner's, for the times in the answer.
     */
    public ReserveOutcome book(UserId user, boolean admin, Command.Reserve cmd, Instant start, ZoneId zone, @Nullable String idempotencyKey) {
        return reserve(user, cmd, idempotencyKey, new Ask(start, zone, admin));
    }

    /** A booking's start, the owner's zone and whether an admin asks. */
    private record Ask(Instant start, ZoneId zone, boolean admin) {
    }

    private ReserveOutcome reserve(UserId user, Command.Reserve cmd, @Nullable String idempotencyKey, @Nullable Ask booking) {
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
                outcome = submit(user, cmd, idempotencyKey, effects, booking);
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
    private ReserveOutcome submit(UserId user, Command.Reserve cmd, @Nullable String key, List<Effect> effects, @Nullable Ask booking) {
        if (commit.behind()) {
            effects.addAll(repair.reload(List.of()));
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
        // a booking is bound by the booking limits, not by the GPUs its owner holds or queues now, and does not count in them
        Validation v = validator.validate(user, cmd, now.cluster(), booking == null ? now.gpusOf(user) - BookingChecks.bookedGpus(now, user) : 0);
        if (v instanceof Validation.Invalid invalid) {
            return new ReserveOutcome.Refused(invalid.reason());
        }
        var request = ((Validation.Valid) v).request();
        if (booking != null) {
            Optional<String> no = BookingChecks.refusal(now, engine, user, booking.admin(), request, booking.start(), booking.zone(), clock.instant());
            if (no.isPresent()) {
                return new ReserveOutcome.Refused(no.get());
            }
        }
        Optional<String> badName = Names.refusal(now, user, request.options().name());
        if (badName.isPresent()) {
            return new ReserveOutcome.Refused(badName.get());
        }
        if (id == null) {
            id = ids.next(request.gpuType(), state());
        }
        Reservation asked = Reservation.queued(id, user, request.gpuType(), request.gpus(), request.duration(),
                request.options(), clock.instant());
        Reservation queued = booking == null ? asked : asked.withBooking(Booking.at(booking.start()));
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
        return actions.act(actor, idOrPrefix, admin, Claims.Action.CANCEL, idempotencyKey,
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
        return actions.act(actor, idOrPrefix, admin, Claims.Action.EXTEND, idempotencyKey,
                r -> new Event.ExtendRequested(r.id(), by, admin && !actor.equals(r.owner())),
                r -> r.endsAt() == null ? "Extended " + r.id() + " by " + Durations.format(by) + "."
                        : "Extended " + r.id() + " by " + Durations.format(by) + ": it now ends at " + r.endsAt() + ".",
                r -> r.extendedBy().toString(), (mark, now) -> !now.extendedBy().toString().equals(mark),
                r -> drawnWith == null || drawnWith.equals(r.extendedBy()) ? Optional.empty()
                        : Optional.of(r.id() + " was already extended from another click"
                        + (r.endsAt() == null ? "." : "; it now ends at " + r.endsAt() + ".")));
    }

    /** Marks a started booking used (idempotent by nature: no key is claimed). */
    public ActionOutcome useBooking(UserId actor, String idOrPrefix, boolean admin) {
        return actions.act(actor, idOrPrefix, admin, Claims.Action.EXTEND, null, r -> new Event.BookingUsed(r.id()),
                r -> r.booking() == null ? r.id() + " is not a booking; nothing to confirm." : "Thanks: " + r.id() + " stays yours until it ends.",
                r -> "", (mark, now) -> false,
                r -> r.booking() == null ? Optional.of(r.id() + " is not a booking; nothing to confirm.")
                        // the same answer as the first confirmation: a press delivered again (or after a crash) reads alike
                        : r.booking().used() ? Optional.of("Thanks: " + r.id() + " stays yours until it ends.")
                        : r.state() != ReservationState.ACTIVE ? Optional.of(r.id() + " has not started yet; confirm once you use it.")
                        : Optional.empty());
    }

    /**
     * Keep on the idle question: no question until the snooze ends. A duplicate delivery of the press keeps once; a
     * Keep after the reservation ended says it was already released and why.
     */
    public ActionOutcome keep(UserId actor, String idOrPrefix, boolean admin, @Nullable String idempotencyKey,
                              Function<Reservation, IdleRule> rule) {
        return actions.act(actor, idOrPrefix, admin, Claims.Action.KEEP, idempotencyKey,
                r -> new Event.IdleKept(r.id(), rule.apply(r)),
                r -> "Kept " + r.id() + (r.idle().keptUntil() == null ? "." : ": I won't ask about idle GPUs again before "
                        + r.idle().keptUntil() + "."),
                r -> String.valueOf(r.idle().keptUntil()), (mark, now) -> !String.valueOf(now.idle().keptUntil()).equals(mark),
                r -> r.state() == ReservationState.ACTIVE ? Optional.empty() : Optional.of(r.id() + " is not running yet; nothing to keep."));
    }

    /** Issues a notice the engine decided before (the idle question again, after a restart); the caller tracks it. */
    void issue(Notice n) {
        runner.run(List.of(new Effect.Notify(n)));
    }

    /** {@code /gpu edit}: collaborators added or removed, recorded then pushed to the running server (see {@link Edits}). */
    public ActionOutcome edit(UserId actor, boolean admin, Command.Edit cmd) {
        return edits.edit(actor, admin, cmd);
    }

    /** See {@link Lookups#find}. */
    public Lookup find(UserId actor, @Nullable String idOrPrefix, boolean everyone) {
        return lookups.find(actor, idOrPrefix, everyone);
    }

    /** The user's live reservations and the latest ended ones. */
    public List<Reservation> history(UserId user, int limit) {
        return lookups.history(user, limit);
    }

    /**
     * Records a delivery's trigger once (see {@link ReservationStore#claim}), for front-end commands that change state
     * outside the reservations (admin drains, links): empty the first time, else what the first recorded.
     */
    public Optional<String> claim(String key, String value) {
        return claims.raw(key, value);
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

    /**
     * Recorded by the engine ({@link Event.Delivered}); a failed record only means the notice may be sent again. Settled
     * only after the record: a tick in between would find it neither on its way nor recorded, and send it twice.
     */
    @Override
    public void delivered(Notice notice, @Nullable String chatRef) {
        try {
            event(new Event.Delivered(notice, chatRef));
        } finally {
            inFlight.settled(notice);
        }
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
            } else if (!now.isBefore(pending.next()) && retries.attempt(id)) {
                runner.run(List.of(new Effect.Provision(r.get())));
            }
        });
    }

    /** Issues again the Ready message and the latest reminder of ACTIVE reservations whose owner was not shown them. */
    private void reissue() {
        List<Notice> again;
        // The state is read under InFlight's lock: a delivery recorded after this read is settled (delivered()) only
        // after this re-issue, so it is still on its way here; read before the lock, it could be neither.
        synchronized (inFlight) {
            SchedulerState now = state();
            again = inFlight.reissue(now.inState(ReservationState.ACTIVE), now.live().keySet(), clock.instant());
        }
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
    synchronized Commit.Result applyAndRetry(Event e) {
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
        List<Effect> reconcile = commit.behind() ? repair.reload(List.of()) : List.of();
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
