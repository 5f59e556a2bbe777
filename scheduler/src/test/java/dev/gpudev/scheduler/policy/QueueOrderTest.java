package dev.gpudev.scheduler.policy;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.BO;
import static dev.gpudev.scheduler.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.testing.Fixtures;

class QueueOrderTest {
    static final Limits UNFAIR = new Limits(Duration.ofMinutes(5), Duration.ofHours(24), Duration.ofHours(24), Duration.ofHours(48),
            Duration.ofHours(48), List.of(), 16, 4, false, Duration.ofMinutes(15));
    final Reservation longOne = Fixtures.queued("h100-0001", ANA, 8, Duration.ofHours(24), T0);
    final Reservation shortOne = Fixtures.queued("h100-0002", BO, 1, Duration.ofMinutes(30), T0.plusSeconds(600));

    @Test
    void shortRequestsGoFirstButLongOnesAgeUntilServed() {
        List<Reservation> q = List.of(longOne, shortOne);
        assertThat(QueueOrder.order(q, Set.of(), Limits.defaults(), T0.plusSeconds(900))).containsExactly(shortOne, longOne);
        Reservation freshShort = Fixtures.queued("h100-0003", BO, 1, Duration.ofMinutes(30), T0.plus(Duration.ofHours(30)));
        assertThat(QueueOrder.order(List.of(freshShort, longOne), Set.of(), Limits.defaults(), T0.plus(Duration.ofHours(30))))
                .containsExactly(longOne, freshShort);
    }

    @Test
    void theLongestRequestAgesAtLeastAsFastAsHalfTheQueueTimeout() {
        Reservation twoDays = Fixtures.queued("h100-0006", ANA, 1, Duration.ofHours(47), T0);
        assertThat(QueueOrder.ratio(twoDays, T0.plus(Duration.ofHours(24)), Limits.defaults())).isEqualTo(2.0);
    }

    @Test
    void aRequestLongerThanTheBacklogAgesAsIfItWereAsLongAsTheBacklog() {
        assertThat(QueueOrder.ratio(longOne, T0.plus(Duration.ofHours(1)), Limits.defaults(), Duration.ofHours(2))).isEqualTo(1.5);
        assertThat(QueueOrder.ratio(shortOne, T0.plusSeconds(2400), Limits.defaults(), Duration.ofHours(2))).isEqualTo(2.0);
        List<Reservation> q = List.of(longOne, shortOne);
        assertThat(QueueOrder.order(q, Set.of(), Limits.defaults(), T0.plusSeconds(900), Duration.ofHours(24)))
                .containsExactly(shortOne, longOne);
        assertThat(QueueOrder.order(q, Set.of(), Limits.defaults(), T0.plusSeconds(900), Duration.ofMinutes(10)))
                .as("15 minutes are 1.5 backlogs of waiting").containsExactly(longOne, shortOne);
    }

    @Test
    void withFairShareAHolderQueuesBehindSomeoneWhoHoldsNone() {
        Reservation ana = Fixtures.queued("h100-0004", ANA, 1, Duration.ofHours(1), T0);
        Reservation bo = Fixtures.queued("h100-0005", BO, 1, Duration.ofHours(1), T0.plusSeconds(60));
        assertThat(QueueOrder.order(List.of(ana, bo), Set.of(ANA), Limits.defaults(), T0.plusSeconds(120))).containsExactly(bo, ana);
        assertThat(QueueOrder.order(List.of(ana, bo), Set.of(ANA), UNFAIR, T0.plusSeconds(120))).containsExactly(ana, bo);
        assertThat(QueueOrder.order(List.of(ana, bo), Set.of(ANA), Limits.defaults(), T0.plusSeconds(3630)))
                .as("after waiting one duration longer, the holder's request passes").containsExactly(ana, bo);
    }
}
