package dev.gpudev.bot.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;

import dev.gpudev.adapters.aws.Dynalite;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.testing.CrashScripts;

/**
 * Kills the bot (service and Kubernetes adapter closed, all memory dropped; the dynalite tables, the mock API server's
 * objects and the messages sent kept) at one point of a script of reserve / ready / extend / cancel / remind / expire,
 * restarts it as Main does, redelivers the interrupted step with the same idempotency key, finishes the script, and
 * checks against the API server's objects after every step: no pod, Service or Secret of a reservation that does not
 * hold GPUs, a pod per node of every ACTIVE reservation, GPUs per node never over allocatable; at the end nothing
 * stuck in PROVISIONING, one reservation per request, no Ready message or latest reminder lost and none twice unless the
 * crash fell between its delivery and its record, and the same end state and answers as the run without a crash. Each script's crash points are sampled ({@code -Dcrash.kube.points=N}, default 20;
 * {@code -Dcrash.kube.all=true} runs every one; {@code -Dcrash.seed=S} shuffles the points, {@code -Dcrash.kube.script=N} picks another random script).
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesCrashTest {
    static KubernetesClient client;

    private static final long RANDOM_SCRIPT = Long.getLong("crash.kube.script", 1);

    static final List<Arguments> CASES = List.of(
            Arguments.of(Named.of("fixed script", CrashScripts.fixed()), sample(20)),
            Arguments.of(Named.of("random script " + RANDOM_SCRIPT, CrashScripts.random(RANDOM_SCRIPT, 30)), sample(15)));

    /** A trial takes about 2 s here (two boots of the adapter, ~40-70 steps on dynalite and the mock server). */
    private static int sample(int byDefault) {
        return Boolean.getBoolean("crash.kube.all") ? Integer.MAX_VALUE : Integer.getInteger("crash.kube.points", byDefault);
    }

    /** The poll settings are global to the JVM: the test classes that run after this one get Awaitility's own again. */
    @AfterAll
    static void pollAsUsual() {
        Awaitility.reset();
    }

    @BeforeAll
    static void pollOften() {
        Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Dynalite.endpoint();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("CASES")
    void aCrashAtAnyPointLeavesNoOrphanNothingStuckLostOrTwice(List<CrashScripts.Step> script, int sample) {
        long started = System.nanoTime();
        World baseline = run(script, 0);
        long total = baseline.points.passed();
        Map<String, String> expected = CrashScripts.summary(baseline);
        List<String> expectedAnswers = CrashScripts.answers(baseline);

        List<Long> crashAt = LongStream.rangeClosed(1, total).boxed().collect(Collectors.toCollection(ArrayList::new));
        Collections.shuffle(crashAt, new Random(Long.getLong("crash.seed", 20261129L)));
        crashAt = crashAt.subList(0, (int) Math.min(sample, total));

        List<String> failures = new ArrayList<>();
        int restarts = 0;
        for (long point : crashAt) {
            try {
                World w = run(script, point);
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
        System.out.printf("%ncrash test (dynalite + fabric8 mock API server): script | steps | reservations | crash points in script"
                + " | crash points run | restarts | failures | seconds%n");
        System.out.printf("%s | %d | %d | %d | %d | %d | %d | %.1f%n", script.size() == CrashScripts.fixed().size() ? "fixed" : "random " + RANDOM_SCRIPT,
                script.size(), expected.size(), total, crashAt.size(), restarts, failures.size(), (System.nanoTime() - started) / 1e9);
        failures.forEach(f -> System.out.println("  " + f.lines().limit(6).collect(Collectors.joining(" / "))));
        assertThat(failures).isEmpty();
    }

    private static World run(List<CrashScripts.Step> script, long crashAt) {
        ApiServer api = new ApiServer(client);
        api.reset();
        World w = new World(Dynalite.freshStore(Clock.systemUTC()), api, crashAt);
        try (w) {
            for (CrashScripts.Step step : script) {
                w.perform(step);
                // before the crash a trial repeats the run without one, already checked
                if (crashAt == 0 || w.restarts > 0) {
                    checkAfterStep(w, step);
                }
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

    /** The API server's objects match what the store says holds GPUs, GPUs are held once, and the bot's memory equals the store. */
    private static void checkAfterStep(World w, CrashScripts.Step step) {
        List<Reservation> live = w.durable.live();
        Set<ReservationId> holding = live.stream().filter(r -> r.state().holdsGpus()).map(Reservation::id).collect(Collectors.toSet());
        ApiServer.Objects api = w.api.read();
        assertThat(api.all()).as("pods, Services and Secrets after " + step + " (orphans)").isSubsetOf(holding);
        assertThat(api.servers()).as("servers after " + step + " (orphans or missing)").isEqualTo(holding);
        live.stream().filter(r -> r.state() == ReservationState.ACTIVE).forEach(r ->
                assertThat(api.podsOf(r.id())).as("pods of ACTIVE " + r.id() + " after " + step).isEqualTo(r.nodes().size()));
        Map<String, Integer> allocatable = api.allocatable();
        api.gpusPerNode().forEach((node, gpus) ->
                assertThat(gpus).as("GPUs of the pods on " + node + " after " + step).isLessThanOrEqualTo(allocatable.getOrDefault(node, 0)));
        Map<NodeName, Integer> held = new HashMap<>();
        live.stream().filter(r -> r.state().holdsGpus()).forEach(r -> r.nodes().forEach(n -> held.merge(n, r.gpusPerNode(), Integer::sum)));
        assertThat(held.values()).as("GPUs held per node in the store after " + step).allMatch(n -> n <= ApiServer.GPUS_PER_NODE);
        assertThat(w.bot().state().live().keySet()).as("the bot's memory after " + step)
                .isEqualTo(live.stream().map(Reservation::id).collect(Collectors.toSet()));
    }
}
