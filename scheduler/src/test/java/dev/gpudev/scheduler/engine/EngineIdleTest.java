package dev.gpudev.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.idle.Activity;
import dev.gpudev.scheduler.idle.IdleRule;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.IdleMark;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.testing.Fixtures;

/**
 * The engine decides again what the idle poll sent, on the state as it is then: a poll that saw someone waiting does
 * not reclaim once the queue is empty, nor before the grace, and a reservation no longer ACTIVE is left alone.
 */
class EngineIdleTest {
    private static final IdleRule RULE = IdleRule.defaults();
    private static final Activity IDLE = new Activity.Known(Duration.ofMinutes(30), 8, 0, 0, 0);
    private final Engine engine = new Engine(GpuCatalog.defaults(), Limits.defaults());
    private final Instant shown = Fixtures.T0.plus(Duration.ofMinutes(31));
    private final Reservation asked = Fixtures.queued("h100-0a01", Fixtures.ANA, 8, Duration.ofHours(5), Fixtures.T0)
            .provisioning(List.of(new NodeName("h100-1")), Fixtures.T0).active(new ServerAccess("h", 22, "dev", null), Fixtures.T0)
            .withIdle(new IdleMark(Fixtures.T0, shown, shown, null, 1));

    private Decision checked(List<Reservation> others, Instant now) {
        SchedulerState state = SchedulerState.of(Stream.concat(Stream.of(asked), others.stream()).toList(),
                Fixtures.nodes("h100", 1, 8));
        return engine.decide(state, now, new Event.IdleChecked(asked.id(), RULE, false, IDLE));
    }

    @Test
    void theQueueAsItIsWhenTheEngineDecidesSaysWhetherItIsReclaimed() {
        Instant afterGrace = shown.plus(RULE.grace());
        assertThat(checked(List.of(), afterGrace).changed()).as("nobody waits").isEmpty();

        Reservation waiting = Fixtures.queued("h100-0b02", Fixtures.BO, 4, Duration.ofHours(1), shown);
        assertThat(checked(List.of(waiting), afterGrace.minusSeconds(1)).changed()).as("a second short of the grace").isEmpty();

        Decision d = checked(List.of(waiting), afterGrace);
        assertThat(d.changed()).filteredOn(r -> r.id().equals(asked.id())).singleElement()
                .satisfies(r -> assertThat(r.endReason()).isEqualTo(EndReason.RECLAIMED_IDLE));
        assertThat(d.effects()).anySatisfy(e -> assertThat(e).isInstanceOf(Effect.Release.class))
                .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(Effect.Notify.class, n -> assertThat(n.notice())
                        .isInstanceOf(Notice.Ended.class).extracting(Notice::reservation).extracting(Reservation::id).isEqualTo(asked.id())));
        assertThat(d.changed()).filteredOn(r -> r.id().equals(waiting.id())).singleElement()
                .satisfies(r -> assertThat(r.state().holdsGpus()).as("the freed GPUs go to the waiting request").isTrue());
    }

    @Test
    void aKeepRecordsTheSnoozeAndClosesTheQuestion() {
        Decision d = engine.decide(SchedulerState.of(List.of(asked), Fixtures.nodes("h100", 1, 8)), shown.plusSeconds(60),
                new Event.IdleKept(asked.id(), RULE));
        assertThat(d.changed()).singleElement().satisfies(r -> assertThat(r.idle())
                .isEqualTo(new IdleMark(Fixtures.T0, null, null, shown.plusSeconds(60).plus(RULE.snooze()), 1)));
    }
}
