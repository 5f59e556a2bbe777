package dev.gpudev.scheduler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.engine.Decision;
import dev.gpudev.scheduler.engine.Effect;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.engine.Event;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.QueuePolicy;

class BaselineTest {
    static final Instant T0 = Replay.T0;

    static Reservation request(int n, int gpus, int hours, Instant at) {
        return Reservation.queued(new ReservationId("h100-" + String.format("%06x", n)), new UserId("u" + n), Replay.TYPE, gpus,
                Duration.ofHours(hours), RequestOptions.NONE, at);
    }

    @Test
    void baselinesServeInArrivalOrderWhateverTheLength() {
        Reservation longFirst = request(1, 8, 24, T0);
        Reservation shortLater = request(2, 1, 1, T0.plusSeconds(60));
        for (Baseline b : Baseline.values()) {
            assertThat(b.order(List.of(shortLater, longFirst), Set.of(), Replay.limits(), T0.plusSeconds(900), Duration.ofHours(1)))
                    .as(b.label()).containsExactly(longFirst, shortLater);
        }
        assertThat(QueuePolicy.GPU_DEV_BOT.order(List.of(longFirst, shortLater), Set.of(), Replay.limits(), T0.plusSeconds(900), Duration.ofHours(24)))
                .containsExactly(shortLater, longFirst);
    }

    @Test
    void gpuDevStartsAWaitingRequestOnlyOnItsScanButTheBotAtTheRelease() {
        for (QueuePolicy policy : List.of(Baseline.GPU_DEV, QueuePolicy.GPU_DEV_BOT)) {
            Engine engine = new Engine(Replay.catalog(), Replay.limits(), policy, Baseline.startRule(policy));
            Reservation running = request(1, 8, 2, T0);
            Reservation waiting = request(2, 8, 1, T0.plusSeconds(60));
            SchedulerState state = SchedulerState.of(List.of(), Replay.cluster(1));
            state = engine.decide(state, T0, new Event.Submitted(running)).state();
            state = engine.decide(state, T0, new Event.ServerReady(running.id(), Replay.ACCESS)).state();
            state = engine.decide(state, T0.plusSeconds(60), new Event.Submitted(waiting)).state();
            assertThat(state.find(waiting.id()).orElseThrow().state()).isEqualTo(ReservationState.QUEUED);

            Decision released = engine.decide(state, T0.plusSeconds(600), new Event.CancelRequested(running.id(), "finished"));
            boolean startedAtRelease = released.effects().stream().anyMatch(e -> e instanceof Effect.Provision);
            assertThat(startedAtRelease).as(policy.label()).isEqualTo(policy == QueuePolicy.GPU_DEV_BOT);
            if (policy == Baseline.GPU_DEV) {
                Decision scan = engine.decide(released.state(), T0.plusSeconds(660), new Event.Tick());
                assertThat(scan.effects()).anySatisfy(e -> assertThat(e).isInstanceOf(Effect.Provision.class));
            }
        }
    }

    @Test
    void aPolicyIsNamedByItsLabelAndAnUnknownOneListsTheKnown() {
        assertThat(Baseline.ALL).extracting(QueuePolicy::label).containsExactly("gpu-dev", "fifo", "easy", "gpu-dev-bot");
        assertThat(Baseline.of("easy")).isEqualTo(Baseline.EASY);
        assertThatThrownBy(() -> Baseline.of("sjf")).hasMessageContaining("unknown policy sjf")
                .hasMessageContaining("gpu-dev,fifo,easy,gpu-dev-bot");
    }
}
