package dev.gpudev.scheduler.idle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.gpudev.scheduler.port.GpuSample;

/**
 * The idle policy's promises on any history of samples, answers, queues and exemptions: it never reclaims without a
 * question older than the grace, never while nobody waits, never an exempt reservation or one of a type that is off,
 * never on unknown telemetry; it asks only after a known idle window as long as idle-for, and not before the GPUs were
 * held that long; and a window is never idle when a GPU is missing or any sample in it reached the threshold.
 */
class IdleFuzzTest {
    static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    @FuzzTest(maxDuration = "1m")
    void neverReclaimsWithoutCause(FuzzedDataProvider data) {
        IdleRule rule = new IdleRule(data.consumeBoolean(), data.consumeInt(1, 100),
                Duration.ofMinutes(data.consumeInt(10, 60)), Duration.ofMinutes(data.consumeInt(1, 40)),
                Duration.ofMinutes(data.consumeInt(1, 180)), Duration.ofMinutes(data.consumeInt(1, 9)));
        int gpus = data.consumeInt(1, 4);
        List<GpuSample> samples = new ArrayList<>();
        IdleState state = IdleState.WATCHING;
        Instant now = T0;
        for (int step = 0; step < 200 && data.remainingBytes() > 0; step++) {
            Instant before = now;
            now = now.plus(Duration.ofMinutes(data.consumeInt(1, 15)));
            for (Instant m = before.plusSeconds(60); !m.isAfter(now); m = m.plusSeconds(60)) {
                for (int g = 0; g < gpus; g++) {
                    if (data.consumeInt(0, 9) > 0) {
                        samples.add(new GpuSample("GPU-" + g, m, data.consumeBoolean() ? 0 : data.consumeInt(0, 100), data.consumeInt(0, 80_000)));
                    }
                }
            }
            Instant from = now.minus(rule.idleFor());
            Activity activity = ActivityWindow.of(samples, gpus, T0, from, now, rule);
            checkWindow(activity, samples, gpus, from, now, rule);

            boolean exempt = data.consumeInt(0, 9) == 0;
            boolean waiting = data.consumeBoolean();
            IdleInput input = switch (data.consumeInt(0, 19)) {
                case 0 -> new IdleInput.Keep(now);
                case 1 -> new IdleInput.Release(now);
                default -> new IdleInput.Tick(now, activity, waiting);
            };
            IdleWatch.Step next = IdleWatch.step(rule, exempt, state, input);
            switch (next.action()) {
                case IdleAction.Reclaim r -> {
                    assertThat(state).as("reclaimed without a question").isInstanceOf(IdleState.Asked.class);
                    assertThat(((IdleState.Asked) state).at()).isEqualTo(r.askedAt());
                    assertThat(r.askedAt().plus(rule.grace())).as("reclaimed inside the grace").isBeforeOrEqualTo(now);
                    assertThat(waiting).as("reclaimed while nobody waits").isTrue();
                    assertThat(exempt).as("reclaimed an exempt reservation").isFalse();
                    assertThat(rule.enabled()).as("reclaimed under a rule that is off").isTrue();
                    assertThat(Activity.idleFor(activity, rule.idleFor())).as("reclaimed on %s", activity).isTrue();
                }
                case IdleAction.Ask a -> {
                    assertThat(Activity.idleFor(activity, rule.idleFor())).as("asked on %s", activity).isTrue();
                    assertThat(Duration.between(T0, now)).as("asked before the GPUs were held for idle-for").isGreaterThanOrEqualTo(rule.idleFor());
                    assertThat(exempt || !rule.enabled()).isFalse();
                    assertThat(state).isNotInstanceOf(IdleState.Asked.class);
                }
                default -> {
                }
            }
            if (activity instanceof Activity.Unknown && input instanceof IdleInput.Tick) {
                assertThat(next.action()).isNotInstanceOfAny(IdleAction.Ask.class, IdleAction.Reclaim.class);
            }
            state = next.state();
        }
    }

    private static void checkWindow(Activity activity, List<GpuSample> samples, int gpus, Instant from, Instant to, IdleRule rule) {
        List<GpuSample> inside = samples.stream().filter(s -> !s.at().isBefore(from) && !s.at().isAfter(to)).toList();
        if (inside.stream().map(GpuSample::gpu).distinct().count() < gpus) {
            assertThat(activity).as("a missing GPU").isInstanceOf(Activity.Unknown.class);
        }
        if (inside.stream().anyMatch(s -> s.utilization() >= rule.threshold()) && activity instanceof Activity.Known k) {
            assertThat(k.idle()).as("a busy sample in an idle window").isFalse();
        }
    }
}
