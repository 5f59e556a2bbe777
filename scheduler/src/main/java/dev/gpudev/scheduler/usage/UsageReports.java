package dev.gpudev.scheduler.usage;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.GpuReading;
import dev.gpudev.scheduler.port.GpuSample;
import dev.gpudev.scheduler.port.GpuTelemetry;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.port.StoreUnavailableException;

/**
 * The usage use case: who may see what, the history read, the telemetry asked once per reservation for the part of
 * the window it held GPUs, and {@link UsageCalculator}. An admin sees everyone (or one person, or a team); anyone else
 * sees their own rows and everyone's total, and asking for someone else is refused.
 */
public final class UsageReports {
    /** Reservations read from the history at most; a report that reaches it says it may miss older ones. */
    public static final int HISTORY_CAP = 50_000;
    static final String STORE_DOWN = "The bot's storage did not answer, so there is no report. Try again in a minute.";

    private final ReservationStore store;
    private final Supplier<Collection<Reservation>> live;
    private final Clock clock;
    private final GpuTelemetry telemetry;
    private final Map<String, Set<UserId>> teams;

    /**
     * @param live  the scheduler's live reservations, fresher than the store's copy
     * @param teams team name to its members' chat ids (config {@code teams})
     */
    public UsageReports(ReservationStore store, Supplier<Collection<Reservation>> live, Clock clock, GpuTelemetry telemetry,
                        Map<String, Set<UserId>> teams) {
        this.store = store;
        this.live = live;
        this.clock = clock;
        this.telemetry = telemetry;
        this.teams = Map.copyOf(teams);
    }

    public UsageOutcome report(Actor actor, UsagePeriod period, UsageScope asked) {
        UsageScope scope = asked instanceof UsageScope.Everyone && !actor.admin() ? new UsageScope.Person(actor.user()) : asked;
        Predicate<Reservation> visible;
        switch (scope) {
            case UsageScope.Everyone e -> visible = r -> true;
            case UsageScope.Person(UserId u) when !u.equals(actor.user()) && !actor.admin() -> {
                return new UsageOutcome.Refused("Only admins may see someone else's usage. `/gpu usage " + period.name().toLowerCase()
                        + "` shows yours and everyone's total.");
            }
            case UsageScope.Person(UserId u) -> visible = r -> r.owner().equals(u);
            case UsageScope.Team t when !actor.admin() -> {
                return new UsageOutcome.Refused("Only admins may see a team's usage. `/gpu usage " + period.name().toLowerCase()
                        + "` shows yours and everyone's total.");
            }
            case UsageScope.Team(String name) when !teams.containsKey(name) -> {
                return new UsageOutcome.Refused("There is no team `" + name + "`" + (teams.isEmpty() ? " (no teams are configured: `teams` in the bot's config)."
                        : "; the teams are " + String.join(", ", teams.keySet().stream().sorted().toList()) + "."));
            }
            case UsageScope.Team(String name) -> {
                Set<UserId> members = teams.get(name);
                visible = r -> members.contains(r.owner());
            }
        }
        Instant now = clock.instant();
        List<Reservation> history;
        try {
            history = store.byIdPrefix("", HISTORY_CAP);
        } catch (StoreUnavailableException e) {
            return new UsageOutcome.Refused(STORE_DOWN);
        }
        Map<ReservationId, Reservation> all = new LinkedHashMap<>();
        history.forEach(r -> all.put(r.id(), r));
        live.get().forEach(r -> all.put(r.id(), r));
        return new UsageOutcome.Report(UsageCalculator.report(List.copyOf(all.values()), period, scope, now,
                (r, held) -> meanUtilization(r.id(), held), visible, history.size() >= HISTORY_CAP));
    }

    /**
     * Reservations that held GPUs at some time in {@code [from, to)}, live or ended (for the timeline's past).
     *
     * @throws StoreUnavailableException when the store cannot say
     */
    public List<Reservation> heldBetween(Instant from, Instant to) {
        Map<ReservationId, Reservation> all = new LinkedHashMap<>();
        store.byIdPrefix("", HISTORY_CAP).forEach(r -> all.put(r.id(), r));
        live.get().forEach(r -> all.put(r.id(), r));
        Instant now = clock.instant();
        return all.values().stream().filter(r -> Held.of(r, now).flatMap(h -> h.within(from, to)).isPresent()).toList();
    }

    /** The mean utilization (0..1) of every sample of the reservation's GPUs in {@code held}; empty when none. */
    private Optional<Double> meanUtilization(ReservationId id, Held held) {
        GpuReading reading;
        try {
            reading = telemetry.read(Set.of(id), held.from(), held.to()).get(id);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (!(reading instanceof GpuReading.Samples(List<GpuSample> samples))) {
            return Optional.empty();
        }
        List<GpuSample> in = samples.stream().filter(s -> !s.at().isBefore(held.from()) && !s.at().isAfter(held.to())).toList();
        return in.isEmpty() ? Optional.empty() : Optional.of(in.stream().mapToDouble(GpuSample::utilization).average().orElseThrow() / 100);
    }
}
