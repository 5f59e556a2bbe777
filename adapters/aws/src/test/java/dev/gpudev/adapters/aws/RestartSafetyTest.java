package dev.gpudev.adapters.aws;

import static dev.gpudev.adapters.aws.World.after;
import static dev.gpudev.adapters.aws.World.cancel;
import static dev.gpudev.adapters.aws.World.extend;
import static dev.gpudev.adapters.aws.World.pause;
import static dev.gpudev.adapters.aws.World.reserve;
import static dev.gpudev.adapters.aws.World.settle;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;

import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.service.ActionOutcome;
import dev.gpudev.scheduler.service.ReserveOutcome;

/**
 * Kills the bot (all memory dropped; store, cluster and sent messages kept) at one point of a script of
 * reserve / ready / extend / cancel / remind / expire, restarts it, redelivers the interrupted step, finishes the
 * script, and checks: no orphan or missing server, nothing stuck in PROVISIONING, no reminder twice, no GPU held
 * twice, one reservation per request, and the same end state as a run without a crash. The in-memory store runs
 * every crash point; dynalite a seeded random sample ({@code -Dcrash.dynalite.points=N}, {@code -Dcrash.seed=S}).
 */
class RestartSafetyTest {
    private static final int GPUS_PER_NODE = 8;
    private static final List<World.Step> SCRIPT = script(
            reserve("U01", 8, Duration.ofHours(2), "r1"),
            pause(),
            reserve("U02", 4, Duration.ofHours(1), "r2"),
            pause(),
            reserve("U03", 8, Duration.ofHours(1), "r3"),
            pause(),
            reserve("U04", 4, Duration.ofMinutes(30), "r4"),
            settle(),
            reserve("U02", 4, Duration.ofHours(1), "r2"),
            after(Duration.ofMinutes(35)),
            cancel("U01", "r1", "c1"),
            settle(),
            extend("U03", "r3", Duration.ofMinutes(30), "e1"),
            extend("U03", "r3", Duration.ofMinutes(30), "e1"),
            after(Duration.ofMinutes(12)),
            after(Duration.ofMinutes(10)),
            after(Duration.ofMinutes(10)),
            reserve("U05", 16, Duration.ofHours(1), "r5"),
            cancel("U03", "r3", "c2"),
            settle(),
            extend("U05", "r5", Duration.ofHours(1), "e2"),
            pause(),
            reserve("U06", 2, Duration.ofHours(1), "r6"),
            after(Duration.ofHours(2)),
            settle(),
            after(Duration.ofHours(1)),
            settle(),
            after(Duration.ZERO));
    private static List<World.Step> script(Object... steps) {
        List<World.Step> all = new ArrayList<>();
        for (Object s : steps) {
            if (s instanceof World.Step step) {
                all.add(step);
            } else {
                ((List<?>) s).forEach(x -> all.add((World.Step) x));
            }
        }
        return List.copyOf(all);
    }

    private static final Set<String> REQUESTS = Set.of("r1", "r2", "r3", "r4", "r5", "r6");

    static final List<Arguments> STORES = List.of(
            Arguments.of(Named.of("in-memory", (Supplier<ReservationStore>) InMemoryReservationStore::new), Integer.MAX_VALUE),
            Arguments.of(Named.of("dynalite", (Supplier<ReservationStore>) () -> Dynalite.freshStore(Clock.systemUTC())),
                    Integer.getInteger("crash.dynalite.points", 60)));

    @ParameterizedTest(name = "{0}")
    @FieldSource("STORES")
    void aCrashAtAnyPointLeavesNothingLostNothingTwiceAndNothingStuck(Supplier<ReservationStore> stores, int sample) {
        World baseline = run(stores.get(), 0);
        long total = baseline.points.passed();
        Map<String, String> expected = summary(baseline);
        assertThat(expected).containsOnlyKeys(REQUESTS);

        long seed = Long.getLong("crash.seed", 20261129L);
        List<Long> crashAt = LongStream.rangeClosed(1, total).boxed().collect(Collectors.toCollection(ArrayList::new));
        java.util.Collections.shuffle(crashAt, new Random(seed));
        crashAt = crashAt.subList(0, (int) Math.min(sample, total));

        List<String> failures = new ArrayList<>();
        int restarts = 0;
        for (long point : crashAt) {
            try {
                World w = run(stores.get(), point);
                restarts += w.restarts;
                try {
                    assertThat(w.restarts).as("crashed once").isEqualTo(1);
                    assertThat(summary(w)).as("end state per request").isEqualTo(expected);
                } catch (AssertionError e) {
                    throw new TrialFailure(w.crash + ": " + e.getMessage(), e);
                }
            } catch (TrialFailure e) {
                failures.add("crash point " + point + ", " + e.getMessage());
            }
        }
        System.out.printf("%nrestart safety, store | script steps | crash points in script | crash points run | restarts | failures%n");
        System.out.printf("%s | %d | %d | %d | %d | %d%n", stores.get().getClass().getSimpleName(), SCRIPT.size(), total,
                crashAt.size(), restarts, failures.size());
        assertThat(failures).isEmpty();
    }

    private static World run(ReservationStore store, long crashAt) {
        World w = new World(store, crashAt);
        try {
            for (World.Step step : SCRIPT) {
                w.perform(step);
                checkAfterStep(w, step);
            }
            checkAtEnd(w);
        } catch (AssertionError | RuntimeException e) {
            throw new TrialFailure(w.crash + ": " + e.getMessage(), e);
        }
        return w;
    }

    private static final class TrialFailure extends RuntimeException {
        TrialFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** GPUs held once, servers exactly for the reservations that hold GPUs, and the bot's memory equal to the store. */
    private static void checkAfterStep(World w, World.Step step) {
        List<Reservation> live = w.durable.live();
        Map<NodeName, Integer> held = new HashMap<>();
        live.stream().filter(r -> r.state().holdsGpus())
                .forEach(r -> r.nodes().forEach(n -> held.merge(n, r.gpusPerNode(), Integer::sum)));
        assertThat(held.values()).as("GPUs held per node after " + step).allMatch(n -> n <= GPUS_PER_NODE);
        assertThat(w.cluster.used().values()).as("GPUs used by servers per node after " + step).allMatch(n -> n <= GPUS_PER_NODE);
        Set<ReservationId> holding = live.stream().filter(r -> r.state().holdsGpus()).map(Reservation::id).collect(Collectors.toSet());
        assertThat(w.cluster.servers()).as("servers after " + step + " (orphans or missing)").isEqualTo(holding);
        assertThat(w.bot.state().live().keySet()).as("the bot's memory after " + step)
                .isEqualTo(live.stream().map(Reservation::id).collect(Collectors.toSet()));
    }

    private static void checkAtEnd(World w) {
        List<Reservation> all = w.all();
        assertThat(all).as("nothing stuck in PROVISIONING").noneMatch(r -> r.state() == ReservationState.PROVISIONING);
        assertThat(all).as("one reservation per request").extracting(r -> r.options().name())
                .doesNotHaveDuplicates().allMatch(REQUESTS::contains);
        Set<String> reminders = new HashSet<>();
        for (Notice.Reminder n : w.seen.of(Notice.Reminder.class)) {
            Reservation r = n.reservation();
            assertThat(reminders.add(r.id() + " " + r.endsAt() + " " + r.remindersSent())).as("reminder sent twice: " + r.id()).isTrue();
        }
        assertThat(w.answers).as("answers to requests").allSatisfy(a -> assertThat(a).isInstanceOfAny(
                ReserveOutcome.Accepted.class, ReserveOutcome.Duplicate.class, ActionOutcome.Done.class));
    }

    /** Per request: how its reservation ended up. */
    private static Map<String, String> summary(World w) {
        Map<String, String> s = new TreeMap<>();
        for (Reservation r : w.all()) {
            s.put(r.options().name(), r.state() + " " + r.endReason() + " nodes=" + r.nodes() + " +" + r.extendedBy()
                    + " ends=" + r.endsAt() + " detail=" + r.detail());
        }
        return s;
    }
}
