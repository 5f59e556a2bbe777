package dev.gpudev.adapters.aws;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.testing.Fixtures;

class ReservationItemsTest {
    static final ServerAccess ACCESS = new ServerAccess("10.0.0.7", 30022, "dev", "http://localhost:8888/lab?token=t0k3n");

    @Test
    void theHistoryItemOfAnEndedReservationHoldsNoJupyterTokenHoweverItWasBuilt() {
        Reservation active = Fixtures.queued("h100-0a01", ANA, 1, Duration.ofHours(1), T0)
                .provisioning(List.of(new NodeName("h100-1")), T0).active(ACCESS, T0);
        // an ENDED value that kept its access, as a value read from elsewhere could be
        Reservation ended = new Reservation(active.id(), active.owner(), active.gpuType(), active.gpus(), active.duration(),
                active.extendedBy(), active.options(), ReservationState.ENDED, active.requestedAt(), T0, active.endsAt(),
                active.nodes(), EndReason.CANCELLED, "released", ACCESS, List.of(), null, null, null, 3);

        assertThat(ReservationItems.toItem(active).toString()).contains("t0k3n");
        assertThat(ReservationItems.toItem(ended).toString()).doesNotContain("t0k3n");
        assertThat(ReservationItems.fromItem(ReservationItems.toItem(ended)).access()).isEqualTo(ACCESS.withoutJupyter());
    }
}
