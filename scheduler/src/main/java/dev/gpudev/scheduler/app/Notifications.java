package dev.gpudev.scheduler.app;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.Subscription;
import dev.gpudev.scheduler.notify.Openings;
import dev.gpudev.scheduler.policy.Validation;
import dev.gpudev.scheduler.port.StoreConflictException;
import dev.gpudev.scheduler.port.StoreUnavailableException;
import dev.gpudev.scheduler.port.SubscriptionStore;
import dev.gpudev.scheduler.service.ReservationService;

/**
 * The use cases of {@code /gpu notify} (docs/notify.md). The leader keeps every subscription in memory, read once from
 * the store when it starts to lead ({@link #start}); each is written before it is acted on, so a restart finds it as it
 * was. Firing is two writes around the DM: "fired" before it is sent (so it fires once, on one replica), "delivered"
 * after; a fired subscription not yet delivered is sent again by the next leader. Its Reserve button reserves under
 * the idempotency key {@code notify:<id>}, so a double click, a DM sent twice or "queue instead" pressed as well make
 * one reservation.
 */
public final class Notifications {
    private static final System.Logger LOG = System.getLogger(Notifications.class.getName());
    private static final String STORE_DOWN = "The bot's storage did not answer, so nothing changed. Try again in a minute.";

    /**
     * @param maxPerUser pending subscriptions one person may keep
     * @param ttl        how long a subscription waits, and how long its Reserve button works once it fired
     */
    public record Settings(int maxPerUser, Duration ttl) {
        public static final Settings DEFAULTS = new Settings(5, Duration.ofDays(1));

        public Settings {
            if (maxPerUser < 1 || maxPerUser > 100) {
                throw new IllegalArgumentException("notify.max-per-user must be 1..100: " + maxPerUser);
            }
            if (ttl.compareTo(Duration.ofMinutes(5)) < 0 || ttl.compareTo(Duration.ofDays(14)) > 0) {
                throw new IllegalArgumentException("notify.ttl must be between PT5M and P14D: " + ttl);
            }
        }
    }

    /** The answer to {@code /gpu notify <type> <gpus> [duration]}. */
    public sealed interface Subscribed {
        /** Nothing stored: what was wrong and what would work. */
        record Refused(String reason) implements Subscribed {
        }

        /** It would start at once: nothing to wait for (no subscription is kept). */
        record FreeNow(String gpuType, int gpus, Duration duration) implements Subscribed {
        }

        /**
         * @param merged      an earlier subscription of the same person for the same GPUs took this one's duration and a fresh day
         * @param eta         when the request would start if queued now (null: no node can hold it at present)
         * @param firstInLine nobody waits for the type: a request queued now would be first in line
         */
        record Watching(Subscription subscription, boolean merged, @Nullable Instant eta, boolean firstInLine) implements Subscribed {
        }
    }

    private final ReservationService service;
    private final SubscriptionStore store;
    private final Settings settings;
    private final RandomGenerator random;
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    /**
     * The state the last pass planned against. The same state again (a tick that changed nothing) frees nothing, and
     * each subscription was checked against it when the pass or its {@link #subscribe} ran: no plan is made again.
     */
    private @Nullable SchedulerState evaluated;

    public Notifications(ReservationService service, SubscriptionStore store, Settings settings, RandomGenerator random) {
        this.service = service;
        this.store = store;
        this.settings = settings;
        this.random = random;
    }

    public Settings settings() {
        return settings;
    }

    /** Reads every subscription from the store (the leader, when it starts to lead). */
    public synchronized void start() {
        subscriptions.clear();
        evaluated = null;
        store.all().forEach(s -> subscriptions.put(s.id(), s));
        LOG.log(Level.INFO, "notify: " + subscriptions.size() + " subscription(s) read");
    }

    public synchronized Subscribed subscribe(Actor actor, String typed, int gpus, @Nullable Duration asked) {
        Duration duration = asked == null ? Duration.ofHours(1) : asked;
        SchedulerState state = service.state();
        var shape = service.validator().validate(actor.user(), new Command.Reserve(typed, gpus, duration, false, List.of(), null, null),
                state.cluster(), 0);
        if (shape instanceof Validation.Invalid(String reason)) {
            return new Subscribed.Refused(reason);
        }
        GpuType type = service.validator().catalog().find(typed).orElseThrow();
        if (gpus > type.gpusPerNode()) {
            return new Subscribed.Refused("`notify` watches one node, and a " + type.name() + " node has " + type.gpusPerNode()
                    + " GPUs: ask for at most " + type.gpusPerNode() + ", e.g. `/gpu notify " + type.name() + " " + type.gpusPerNode()
                    + " " + Durations.format(duration) + "`. Whole nodes queue with `/gpu reserve " + type.name() + " " + gpus + " "
                    + Durations.format(duration) + "`.");
        }
        Instant now = service.clock().instant();
        if (Openings.startsNow(state, service.engine(), state.free(), now, actor.user(), type, gpus, duration)) {
            return new Subscribed.FreeNow(type.name(), gpus, duration);
        }
        @Nullable Instant eta = Openings.eta(state, service.engine(), now, actor.user(), type, gpus, duration);
        boolean firstInLine = state.live().values().stream()
                .noneMatch(r -> r.state() == ReservationState.QUEUED && r.gpuType().equals(type.name()));
        Optional<Subscription> same = pending(now).stream()
                .filter(s -> s.user().equals(actor.user()) && s.gpuType().equals(type.name()) && s.gpus() == gpus).findFirst();
        try {
            if (same.isPresent()) {
                Subscription renewed = store.update(same.get().renewed(duration, now, settings.ttl()));
                subscriptions.put(renewed.id(), renewed);
                return new Subscribed.Watching(renewed, true, eta, firstInLine);
            }
            long mine = pending(now).stream().filter(s -> s.user().equals(actor.user())).count();
            if (mine >= settings.maxPerUser()) {
                return new Subscribed.Refused("You already wait for " + mine + " notifications, the most one person may keep. "
                        + "`/gpu notify list` shows them and `/gpu notify cancel <id>` ends one.");
            }
            Subscription created = store.create(Subscription.pending(newId(), actor.user(), type.name(), gpus, duration, now, settings.ttl()));
            subscriptions.put(created.id(), created);
            return new Subscribed.Watching(created, false, eta, firstInLine);
        } catch (StoreUnavailableException | StoreConflictException e) {
            return new Subscribed.Refused(STORE_DOWN);
        }
    }

    /** The actor's pending subscriptions, oldest first. */
    public synchronized List<Subscription> mine(Actor actor) {
        return pending(service.clock().instant()).stream().filter(s -> s.user().equals(actor.user())).toList();
    }

    /** Ends one pending subscription of the actor's (an admin's: anyone's), or with {@code id} null all of the actor's. */
    public synchronized ActionOutcome cancel(Actor actor, @Nullable String id) {
        List<Subscription> targets = id == null ? mine(actor)
                : Optional.ofNullable(subscriptions.get(id)).filter(Subscription::pending).stream().toList();
        if (targets.isEmpty()) {
            return new ActionOutcome.Refused(id == null ? "You wait for no notification." : "No notification `" + id
                    + "` is waiting; `/gpu notify list` shows yours.");
        }
        if (!actor.admin() && targets.stream().anyMatch(s -> !s.user().equals(actor.user()))) {
            return new ActionOutcome.Refused("Notification `" + id + "` is not yours.");
        }
        try {
            targets.forEach(s -> {
                store.delete(s.id());
                subscriptions.remove(s.id());
            });
        } catch (StoreUnavailableException e) {
            return new ActionOutcome.Refused(STORE_DOWN);
        }
        return new ActionOutcome.Changed(targets.size() == 1 ? "Stopped notification `" + targets.getFirst().id() + "`."
                : "Stopped your " + targets.size() + " notifications.");
    }

    /**
     * The Reserve (or "queue instead") button of subscription {@code id}: only its subscriber's press reserves, exactly
     * the subscribed request, once whatever the number of presses (the reserve use case's idempotency key). A pending
     * subscription ends with it.
     */
    public ReserveOutcome reserve(Actor actor, String id) {
        Subscription s;
        synchronized (this) {
            s = subscriptions.get(id);
        }
        String ended = "That notification has ended. `/gpu notify <type> <gpus> <duration>` waits again; `/gpu reserve` queues you now.";
        if (s == null) {
            return new ReserveOutcome.Refused(ended);
        }
        if (!s.user().equals(actor.user())) {
            return new ReserveOutcome.Refused("That button belongs to someone else's notification, so nothing changed.");
        }
        if (s.expired(service.clock().instant())) {
            return new ReserveOutcome.Refused(ended);
        }
        ReserveOutcome outcome = service.reserve(actor.user(),
                new Command.Reserve(s.gpuType(), s.gpus(), s.duration(), false, List.of(), null, null), "notify:" + id);
        if (s.pending() && !(outcome instanceof ReserveOutcome.Refused)) {
            // Ended, and kept until it expires so that a second press finds it and is told it reserved already.
            synchronized (this) {
                Subscription cur = subscriptions.get(id);
                try {
                    if (cur != null && cur.pending()) {
                        subscriptions.put(id, store.update(cur.fired(service.clock().instant(), settings.ttl()).withDelivered()));
                    }
                } catch (StoreUnavailableException | StoreConflictException e) {
                    LOG.log(Level.WARNING, "notify: could not end " + id + " after its reservation; it fires no second reservation: "
                            + e.getMessage());
                }
            }
        }
        return outcome;
    }

    /**
     * The leader's pass after a change of capacity: drops what expired, marks "fired" (in the store first) each pending
     * subscription whose request would now start at once, and returns what is owed a DM: fired and not yet delivered,
     * from this pass or an earlier one (a crash, a send that failed). Reads memory only, except for its writes.
     */
    public synchronized List<Subscription> due() {
        Instant now = service.clock().instant();
        SchedulerState state = service.state();
        boolean changed = state != evaluated;
        evaluated = state;
        Map<NodeName, Integer> free = state.free();
        List<Subscription> owed = new ArrayList<>();
        for (Subscription s : List.copyOf(subscriptions.values())) {
            try {
                if (s.expired(now)) {
                    store.delete(s.id());
                    subscriptions.remove(s.id());
                    continue;
                }
                Subscription next = s;
                Optional<GpuType> type = service.validator().catalog().find(s.gpuType());
                if (changed && s.pending() && type.isPresent()
                        && Openings.startsNow(state, service.engine(), free, now, s.user(), type.get(), s.gpus(), s.duration())) {
                    next = store.update(s.fired(now, settings.ttl()));
                    subscriptions.put(next.id(), next);
                }
                if (!next.pending() && !next.delivered()) {
                    owed.add(next);
                }
            } catch (StoreConflictException e) {
                LOG.log(Level.WARNING, "notify: " + s.id() + " changed in the store meanwhile; reading it again at the next start: " + e.getMessage());
                subscriptions.remove(s.id());
            } catch (StoreUnavailableException e) {
                LOG.log(Level.WARNING, "notify: the store did not answer; the next change tries again: " + e.getMessage());
                break;
            }
        }
        return owed;
    }

    /** The DM of a fired subscription was sent: it is not sent again (a failure here only means it may be). */
    public synchronized void delivered(Subscription sent) {
        Subscription cur = subscriptions.get(sent.id());
        if (cur == null || cur.delivered()) {
            return;
        }
        try {
            subscriptions.put(cur.id(), store.update(cur.withDelivered()));
        } catch (StoreUnavailableException | StoreConflictException e) {
            LOG.log(Level.WARNING, "notify: could not record the DM of " + sent.id() + "; it may be sent again: " + e.getMessage());
        }
    }

    public synchronized Optional<Subscription> find(String id) {
        return Optional.ofNullable(subscriptions.get(id));
    }

    private List<Subscription> pending(Instant now) {
        return subscriptions.values().stream().filter(s -> s.pending() && !s.expired(now))
                .sorted(Comparator.comparing(Subscription::createdAt)).toList();
    }

    private String newId() {
        String id;
        do {
            id = "n-" + HexFormat.of().toHexDigits(random.nextInt());
        } while (subscriptions.containsKey(id));
        return id;
    }
}
