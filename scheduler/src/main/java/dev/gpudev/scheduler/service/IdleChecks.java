package dev.gpudev.scheduler.service;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.gpudev.scheduler.engine.Event;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.idle.Activity;
import dev.gpudev.scheduler.idle.ActivityWindow;
import dev.gpudev.scheduler.idle.Exemptions;
import dev.gpudev.scheduler.idle.IdleMarks;
import dev.gpudev.scheduler.idle.IdlePolicy;
import dev.gpudev.scheduler.idle.IdleRule;
import dev.gpudev.scheduler.idle.SampleWindow;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.GpuReading;
import dev.gpudev.scheduler.port.GpuTelemetry;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.port.StoreUnavailableException;

/**
 * The idle policy's poll, run on the leader: reads the telemetry of every ACTIVE reservation, computes its activity
 * over its type's window and sends the engine what {@link IdleMarks} would change (the engine decides again on the state
 * as it is then, and is the only writer). Quiet reservations cost no write. Also keeps the admins' exemptions (stored,
 * so a restart and the next leader keep them) and issues again a question the owner was not shown that this process
 * has not issued (a crash after the question's write).
 */
public final class IdleChecks {
    private static final System.Logger LOG = System.getLogger(IdleChecks.class.getName());

    private final ReservationService service;
    private final GpuTelemetry telemetry;
    private final IdlePolicy rules;
    private final ReservationStore store;
    private final Function<UserId, Set<String>> teams;
    private final SampleWindow window;
    /** Questions this process issued, as {@code id@askedAt}. */
    private final Set<String> issued = new HashSet<>();
    private volatile Exemptions exemptions;

    /** @param teams the teams a user belongs to, by the names admins exempt (docs/idle.md) */
    public IdleChecks(ReservationService service, GpuTelemetry telemetry, IdlePolicy rules, ReservationStore store,
                      Function<UserId, Set<String>> teams) {
        this.service = service;
        this.telemetry = telemetry;
        this.rules = rules;
        this.store = store;
        this.teams = teams;
        this.exemptions = rules.exemptions();
        Duration longest = Stream.concat(Stream.of(rules.defaults()), rules.perType().values().stream())
                .map(IdleRule::idleFor).max(Duration::compareTo).orElseThrow();
        this.window = new SampleWindow(longest.plus(longest));
    }

    /** The rules and the exemptions as they are now. */
    public IdlePolicy policy() {
        return new IdlePolicy(rules.defaults(), rules.perType(), exemptions);
    }

    /** Reads the stored exemptions (on becoming leader); a store that cannot say leaves the configured ones. */
    public void load() {
        try {
            exemptions = merge(rules.exemptions(), store.idleExemptions());
        } catch (StoreUnavailableException e) {
            LOG.log(Level.WARNING, "could not read the idle exemptions, using the configured ones until the next start: " + e.getMessage());
        }
    }

    /**
     * Adds or ends an exemption ({@code user:U123}, {@code team:NAME}, {@code reservation:ID}), stored first.
     *
     * @return whether it changed anything
     * @throws StoreUnavailableException when the store did not take it: nothing changed
     */
    public synchronized boolean exempt(String entry, boolean on) {
        Set<String> stored = new LinkedHashSet<>(store.idleExemptions());
        if (!(on ? stored.add(entry) : stored.remove(entry))) {
            return false;
        }
        store.saveIdleExemptions(stored);
        exemptions = merge(rules.exemptions(), stored);
        return true;
    }

    /** The stored exemptions, as entries. */
    public Set<String> stored() {
        return store.idleExemptions();
    }

    public synchronized void check() {
        Instant now = service.clock().instant();
        SchedulerState state = service.state();
        List<Reservation> active = state.inState(ReservationState.ACTIVE).stream()
                .filter(r -> rules.rule(r.gpuType()).enabled() || r.idle().askedAt() != null).toList();
        Set<ReservationId> ids = active.stream().map(Reservation::id).collect(Collectors.toSet());
        window.retain(ids);
        issued.removeIf(k -> !ids.contains(new ReservationId(k.substring(0, k.indexOf('@')))));
        if (active.isEmpty()) {
            return;
        }
        Duration longest = active.stream().map(r -> rules.rule(r.gpuType()).idleFor()).max(Duration::compareTo).orElseThrow();
        Map<ReservationId, GpuReading> readings = telemetry.read(ids, now.minus(longest), now);
        window.add(readings, now);
        readings.values().stream().filter(GpuReading.Unknown.class::isInstance).findFirst()
                .ifPresent(u -> LOG.log(Level.WARNING, "GPU telemetry unknown for some reservations: " + ((GpuReading.Unknown) u).why()));
        Exemptions exempt = exemptions;
        for (Reservation r : active) {
            IdleRule rule = rules.rule(r.gpuType());
            // a started booking nobody confirmed is the unused-booking rule's (released UNUSED after its grace); Keep would not confirm it
            boolean unconfirmed = r.booking() != null && !r.booking().used();
            boolean isExempt = unconfirmed || exempt.exempt(r.id(), r.owner(), teams.apply(r.owner()));
            Activity activity = ActivityWindow.of(window.samples(r.id()), r.gpus(), r.updatedAt(), now.minus(rule.idleFor()), now, rule);
            boolean waiting = !state.queue(r.gpuType()).isEmpty();
            if (IdleMarks.checked(r, rule, isExempt, activity, waiting, now).changes()) {
                service.event(new Event.IdleChecked(r.id(), rule, isExempt, activity));
                service.state().find(r.id()).filter(x -> x.idle().askedAt() != null)
                        .ifPresent(x -> issued.add(x.id() + "@" + x.idle().askedAt()));
            } else if (r.idle().askedAt() != null && r.idle().shownAt() == null && activity instanceof Activity.Known k
                    && issued.add(r.id() + "@" + r.idle().askedAt())) {
                LOG.log(Level.INFO, "issuing again the idle question of " + r.id() + ", asked at " + r.idle().askedAt() + " and not shown");
                service.issue(IdleMarks.question(r, k, rule));
            }
        }
    }

    private static Exemptions merge(Exemptions configured, Set<String> entries) {
        Set<UserId> users = new HashSet<>(configured.users());
        Set<String> teams = new HashSet<>(configured.teams());
        Set<ReservationId> reservations = new HashSet<>(configured.reservations());
        for (String e : entries) {
            int colon = e.indexOf(':');
            String kind = colon < 0 ? "" : e.substring(0, colon);
            String value = e.substring(colon + 1);
            switch (kind) {
                case "user" -> users.add(new UserId(value));
                case "team" -> teams.add(value);
                case "reservation" -> reservations.add(new ReservationId(value));
                default -> LOG.log(Level.WARNING, "ignoring an idle exemption the bot cannot read: " + e);
            }
        }
        return new Exemptions(users, teams, reservations);
    }
}
