package dev.gpudev.adapters.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.idle.Activity;
import dev.gpudev.scheduler.idle.ActivityWindow;
import dev.gpudev.scheduler.idle.IdleRule;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.GpuReading;

class SimulatedTelemetryTest {
    static final IdleRule RULE = IdleRule.defaults();
    static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    static final ReservationId A = new ReservationId("h100-7f3a");
    static final ReservationId B = new ReservationId("h100-0b1c");
    final SimulatedTelemetry sim = new SimulatedTelemetry(Duration.ofMinutes(1));

    Activity activity(ReservationId id, int gpus, Instant now) {
        Instant from = now.minus(RULE.idleFor());
        return switch (sim.read(Set.of(id), from, now).get(id)) {
            case GpuReading.Samples s -> ActivityWindow.of(s.samples(), gpus, T0, from, now, RULE);
            case GpuReading.Unknown u -> new Activity.Unknown(u.why());
        };
    }

    @Test
    void aServerIsIdleUnlessMarkedBusy() {
        sim.started(A, 4, T0);
        sim.started(B, 2, T0);
        sim.busy(B, true, T0.plus(Duration.ofMinutes(10)));
        Instant now = T0.plus(Duration.ofMinutes(45));

        assertThat(Activity.idleFor(activity(A, 4, now), RULE.idleFor())).isTrue();
        assertThat(activity(B, 2, now)).isInstanceOfSatisfying(Activity.Known.class, k -> {
            assertThat(k.idle()).isFalse();
            assertThat(k.peakMemoryMib()).isEqualTo(SimulatedTelemetry.BUSY_MEMORY_MIB);
        });
    }

    @Test
    void aServerYoungerThanTheWindowIsNotYetKnownIdle() {
        sim.started(A, 4, T0);

        assertThat(activity(A, 4, T0.plus(Duration.ofMinutes(29)))).isInstanceOf(Activity.Unknown.class);
        assertThat(Activity.idleFor(activity(A, 4, T0.plus(Duration.ofMinutes(30))), RULE.idleFor())).isTrue();
    }

    @Test
    void markedIdleAgainItBecomesIdleAfterAFullWindow() {
        sim.started(A, 1, T0);
        sim.busy(A, true, T0);
        sim.busy(A, false, T0.plus(Duration.ofMinutes(40)));

        assertThat(Activity.idleFor(activity(A, 1, T0.plus(Duration.ofMinutes(69))), RULE.idleFor())).isFalse();
        assertThat(Activity.idleFor(activity(A, 1, T0.plus(Duration.ofMinutes(70))), RULE.idleFor())).isTrue();
    }

    @Test
    void anUnknownOrEndedServerIsUnknown() {
        sim.started(A, 1, T0);
        sim.ended(A);

        assertThat(sim.read(Set.of(A, B), T0, T0.plusSeconds(60))).allSatisfy((id, r) -> assertThat(r).isInstanceOf(GpuReading.Unknown.class));
        assertThat(sim.busy(B, true, T0)).isFalse();
    }
}
