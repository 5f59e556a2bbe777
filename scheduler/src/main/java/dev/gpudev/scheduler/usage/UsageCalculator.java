package dev.gpudev.scheduler.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.Reservation;

/** The arithmetic of a report, pure: each reservation becomes one row's worth, then rows are summed. */
public final class UsageCalculator {
    public static final String TOTAL = "total";
    public static final String EVERYONE = "everyone";

    private UsageCalculator() {
    }

    /**
     * @param meanUtilization the mean GPU utilization (0..1) of a reservation over an interval, empty when unknown
     * @param visible         the reservations whose rows the asker may see (the rest count only in {@code cluster})
     */
    public static UsageReport report(List<Reservation> history, UsagePeriod period, UsageScope scope, Instant now,
                                     BiFunction<Reservation, Held, Optional<Double>> meanUtilization, Predicate<Reservation> visible,
                                     boolean truncated) {
        Instant from = period.from(now);
        Map<String, UsageRow> people = new TreeMap<>();
        Map<String, UsageRow> types = new TreeMap<>();
        UsageRow cluster = UsageRow.empty(EVERYONE);
        for (Reservation r : history) {
            Optional<UsageRow> row = row(r, from, now, meanUtilization);
            if (row.isEmpty()) {
                continue;
            }
            cluster = cluster.plus(row.get());
            if (visible.test(r)) {
                people.merge(r.owner().value(), row.get().named(r.owner().value()), UsageRow::plus);
                types.merge(r.gpuType(), row.get().named(r.gpuType()), UsageRow::plus);
            }
        }
        List<UsageRow> byPerson = people.values().stream().sorted(Comparator.comparingLong(UsageRow::reserved).reversed()
                .thenComparing(UsageRow::key)).toList();
        UsageRow total = byPerson.stream().reduce(UsageRow.empty(TOTAL), UsageRow::plus).named(TOTAL);
        return new UsageReport(from, now, period, scope, byPerson, List.copyOf(types.values()), total, cluster, truncated);
    }

    /** One reservation's figures in {@code [from, to)}; empty when it neither held GPUs, started nor was reclaimed there. */
    static Optional<UsageRow> row(Reservation r, Instant from, Instant to, BiFunction<Reservation, Held, Optional<Double>> meanUtilization) {
        Optional<Held> held = Held.of(r, to);
        Optional<Held> inWindow = held.flatMap(h -> h.within(from, to));
        boolean started = held.isPresent() && !held.get().from().isBefore(from) && held.get().from().isBefore(to);
        long reclaimed = (r.endReason() == EndReason.RECLAIMED_IDLE || r.endReason() == EndReason.UNUSED) && r.endsAt() != null && in(r.updatedAt(), from, to)
                && r.endsAt().isAfter(r.updatedAt()) ? Math.round(r.gpus() * Duration.between(r.updatedAt(), r.endsAt()).toMillis() / 60_000.0) : 0;
        if (inWindow.isEmpty() && !started && reclaimed == 0) {
            return Optional.empty();
        }
        long reserved = inWindow.map(h -> Math.round(r.gpus() * h.minutes())).orElse(0L);
        Optional<Double> util = inWindow.flatMap(h -> meanUtilization.apply(r, h));
        Duration wait = started ? max(Duration.between(r.requestedAt(), held.get().from()), Duration.ZERO) : Duration.ZERO;
        return Optional.of(new UsageRow(r.id().value(), 1, reserved, util.isPresent() ? reserved : 0, util.map(u -> Math.round(reserved * u)).orElse(0L),
                reclaimed, started ? 1 : 0, wait, wait));
    }

    private static boolean in(Instant t, Instant from, Instant to) {
        return !t.isBefore(from) && t.isBefore(to);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
