package dev.gpudev.adapters.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;

import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.testing.CrashScripts;

/**
 * Kills the bot (all memory dropped; store, cluster and sent messages kept) at one point of a script of
 * reserve / ready / extend / cancel / remind / expire, restarts it, redelivers the interrupted step, finishes the
 * script, and checks: no orphan or missing server, nothing stuck in PROVISIONING, no GPU held twice, one reservation
 * per request, no Ready message or latest reminder lost and none delivered twice unless the crash fell between its
 * delivery and its record ({@link dev.gpudev.scheduler.testing.Deliveries}), and the same end state and answers as a
 * run without a crash. The in-memory
 * store runs every crash point of a fixed and four random scripts; dynalite a seeded random sample of two of them
 * ({@code -Dcrash.dynalite.points=N}, default 30 each; {@code -Dcrash.seed=S}).
 */
class RestartSafetyTest {
    private static final int GPUS_PER_NODE = 8;
    private static final Supplier<ReservationStore> MEMORY = InMemoryReservationStore::new;
    private static final Supplier<ReservationStore> DYNALITE = () -> Dynalite.freshStore(Clock.systemUTC());

    private static final int DYNALITE_POINTS = Integer.getInteger("crash.dynalite.points", 30);

    static final List<Arguments> CASES = List.of(
            Arguments.of(Named.of("in-memory", MEMORY), Named.of("fixed script", CrashScripts.fixed()), Integer.MAX_VALUE),
            Arguments.of(Named.of("in-memory", MEMORY), Named.of("idle script", CrashScripts.idle()), Integer.MAX_VALUE),
            Arguments.of(Named.of("in-memory", MEMORY), Named.of("random script 1", CrashScripts.random(1, 50)), Integer.MAX_VALUE),
            Arguments.of(Named.of("in-memory", MEMORY), Named.of("random script 2", CrashScripts.random(2, 50)), Integer.MAX_VALUE),
            Arguments.of(Named.of("in-memory", MEMORY), Named.of("random script 3", CrashScripts.random(3, 50)), Integer.MAX_VALUE),
            Arguments.of(Named.of("in-memory", MEMORY), Named.of("random script 4", CrashScripts.random(4, 50)), Integer.MAX_VALUE),
            Arguments.of(Named.of("dynalite", DYNALITE), Named.of("fixed script", CrashScripts.fixed()), DYNALITE_POINTS),
            Arguments.of(Named.of("dynalite", DYNALITE), Named.of("idle script", CrashScripts.idle()), DYNALITE_POINTS),
            Arguments.of(Named.of("dynalite", DYNALITE), Named.of("random script 1", CrashScripts.random(1, 50)), DYNALITE_POINTS),
            Arguments.of(Named.of("in-memory", MEMORY), Named.of("booking script", CrashScripts.bookings()), Integer.MAX_VALUE),
            Arguments.of(Named.of("dynalite", DYNALITE), Named.of("booking script", CrashScripts.bookings()), DYNALITE_POINTS));

    @ParameterizedTest(name = "{0}, {1}")
    @FieldSource("CASES")
    void aCrashAtAnyPointLeavesNothingLostNothingTwiceAndNothingStuck(Supplier<ReservationStore> stores, List<CrashScripts.Step> script,
                                                                       int sample) {
        World baseline = run(stores.get(), script, 0);
        long total = baseline.points.passed();
        Map<String, String> expected = CrashScripts.summary(baseline);
        List<String> expectedAnswers = CrashScripts.answers(baseline);

        long seed = Long.getLong("crash.seed", 20261129L);
        List<Long> crashAt = LongStream.rangeClosed(1, total).boxed().collect(Collectors.toCollection(ArrayList::new));
        Collections.shuffle(crashAt, new Random(seed));
        crashAt = crashAt.subList(0, (int) Math.min(sample, total));

        List<String> failures = new ArrayList<>();
        int restarts = 0;
        for (long point : crashAt) {
            try {
                World w = run(stores.get(), script, point);
                restarts += w.restarts;
                try {
                    assertThat(w.restarts).as("crashed once").isEqualTo(1);
                    assertThat(CrashScripts.summary(w)).as("end state per request").isEqualTo(expected);
                    assertThat(CrashScripts.answers(w)).as("what users were answered").isEqualTo(expectedAnswers);
                } catch (AssertionError e) {
                    throw new TrialFailure(w.crash + ": " + e.getMessage(), e);
                }
            } catch (TrialFailure e) {
                failures.add("crash point " + point + ", " + e.getMessage());
            }
        }
        System.out.printf("%nrestart safety: store | script | steps | reservations | crash points in script | crash points run | restarts | failures%n");
        System.out.printf("%s | %s | %d | %d | %d | %d | %d | %d%n", stores.get().getClass().getSimpleName(),
                script.size() == CrashScripts.fixed().size() ? "fixed" : script.size() == CrashScripts.idle().size() ? "idle" : "random", script.size(), expected.size(), total,
                crashAt.size(), restarts, failures.size());
        assertThat(failures).isEmpty();
    }

    /** What the idle script must show without a crash, so the crash runs compare against the right thing. */
    @Test
    void theIdleScriptAsksOnceKeepsReclaimsOnlyWhileSomeoneWaitsAndReleases() {
        World w = run(MEMORY.get(), CrashScripts.idle(), 0);
        Map<String, String> end = CrashScripts.summary(w);
        assertThat(end.get("i1")).startsWith("ENDED RECLAIMED_IDLE").contains("went unanswered for 25 min", "others wait for h100");
        assertThat(end.get("i2")).startsWith("ENDED CANCELLED");
        assertThat(end.get("i3")).startsWith("ACTIVE");
        Reservation i1 = w.durable.find(new ReservationId(w.idOf("i1"))).orElseThrow();
        assertThat(i1.idle().questions()).as("one question, a Keep, one more after the snooze").isEqualTo(2);
        assertThat(w.deliveries.seen.notices).filteredOn(n -> n instanceof Notice.IdleQuestion q && q.reservation().id().equals(i1.id()))
                .hasSize(2);
        assertThat(CrashScripts.answers(w)).containsSubsequence(
                "done: Kept <i1>: I won't ask about idle GPUs again before 2026-11-02T11:31:01Z.",
                "done: Kept <i1>: I won't ask about idle GPUs again before 2026-11-02T11:31:01Z.",
                "refused: Reservation <i1> is not yours.");
        assertThat(CrashScripts.answers(w)).anyMatch(a -> a.startsWith("refused: Reservation <i1> has already ended (its 8 GPUs were below 5 %"));
    }

    private static World run(ReservationStore store, List<CrashScripts.Step> script, long crashAt) {
        World w = new World(store, crashAt);
        try {
            for (CrashScripts.Step step : script) {
                w.perform(step);
                checkAfterStep(w, step);
            }
            CrashScripts.checkAtEnd(w);
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
    private static void checkAfterStep(World w, CrashScripts.Step step) {
        List<Reservation> live = w.durable.live();
        Map<NodeName, Integer> held = new HashMap<>();
        live.stream().filter(r -> r.state().holdsGpus())
                .forEach(r -> r.nodes().forEach(n -> held.merge(n, r.gpusPerNode(), Integer::sum)));
        assertThat(held.values()).as("GPUs held per node after " + step).allMatch(n -> n <= GPUS_PER_NODE);
        assertThat(w.cluster.used().values()).as("GPUs used by servers per node after " + step).allMatch(n -> n <= GPUS_PER_NODE);
        Set<ReservationId> holding = live.stream().filter(r -> r.state().holdsGpus()).map(Reservation::id).collect(Collectors.toSet());
        assertThat(w.cluster.servers()).as("servers after " + step + " (orphans or missing)").isEqualTo(holding);
        assertThat(w.bot().state().live().keySet()).as("the bot's memory after " + step)
                .isEqualTo(live.stream().map(Reservation::id).collect(Collectors.toSet()));
    }
}
