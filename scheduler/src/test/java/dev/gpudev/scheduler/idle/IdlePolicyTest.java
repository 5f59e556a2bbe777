package dev.gpudev.scheduler.idle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.UserId;

class IdlePolicyTest {
    @Test
    void aTypeWithoutItsOwnRuleFollowsTheDefault() {
        IdlePolicy policy = new IdlePolicy(IdleRule.defaults(), Map.of("t4", IdleRule.defaults().off()), Exemptions.NONE);

        assertThat(policy.rule("t4").enabled()).isFalse();
        assertThat(policy.rule("h100")).isEqualTo(IdleRule.defaults());
    }

    @Test
    void exemptionsByUserTeamOrReservation() {
        Exemptions e = new Exemptions(Set.of(new UserId("U1")), Set.of("infra"), Set.of(new ReservationId("h100-7f3a")));
        ReservationId other = new ReservationId("h100-0001");

        assertThat(e.exempt(other, new UserId("U1"), Set.of())).isTrue();
        assertThat(e.exempt(other, new UserId("U2"), Set.of("ml", "infra"))).isTrue();
        assertThat(e.exempt(new ReservationId("h100-7f3a"), new UserId("U2"), Set.of())).isTrue();
        assertThat(e.exempt(other, new UserId("U2"), Set.of("ml"))).isFalse();
    }

    @Test
    void aGapAsLongAsTheWindowIsRefused() {
        assertThatThrownBy(() -> new IdleRule(true, 5, Duration.ofMinutes(5), Duration.ofMinutes(20), Duration.ofHours(1), Duration.ofMinutes(5)))
                .hasMessageContaining("shorter than idle-for");
    }
}
