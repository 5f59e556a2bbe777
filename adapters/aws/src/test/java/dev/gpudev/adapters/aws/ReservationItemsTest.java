package dev.gpudev.adapters.aws;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.T0;
import static dev.gpudev.adapters.aws.ReservationItems.n;
import static dev.gpudev.adapters.aws.ReservationItems.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import dev.gpudev.scheduler.model.Delivery;
import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
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
                active.nodes(), EndReason.CANCELLED, "released", ACCESS, Delivery.NONE, 3);

        assertThat(ReservationItems.toItem(active).toString()).contains("t0k3n");
        assertThat(ReservationItems.toItem(ended).toString()).doesNotContain("t0k3n");
        assertThat(ReservationItems.fromItem(ReservationItems.toItem(ended)).access()).isEqualTo(ACCESS.withoutJupyter());
    }

    /** An item as the store wrote it before the delivery fields were grouped in {@code Delivery}: it reads, and writes back the same. */
    @Test
    void anItemWrittenBeforeTheDeliveryGroupReadsAndWritesBackUnchanged() {
        Map<String, AttributeValue> item = new HashMap<>(Map.ofEntries(
                Map.entry("id", s("h100-0a01")), Map.entry("idHead", s("h")), Map.entry("owner", s("U0ANA")),
                Map.entry("version", n(4)), Map.entry("live", s("1")), Map.entry("gpuType", s("h100")), Map.entry("gpus", n(2)),
                Map.entry("duration", s("PT3H")), Map.entry("extendedBy", s("PT1H")), Map.entry("jupyter", AttributeValue.fromBool(false)),
                Map.entry("collaborators", AttributeValue.fromL(List.of(s("octocat")))), Map.entry("state", s("ACTIVE")),
                Map.entry("requestedAt", s("2026-11-02T09:00:00.000000000Z")),
                Map.entry("ownerSort", s("2026-11-02T09:00:00.000000000Z#h100-0a01")),
                Map.entry("updatedAt", s("2026-11-02T09:02:00.000000000Z")), Map.entry("endsAt", s("2026-11-02T12:02:00.000000000Z")),
                Map.entry("nodes", AttributeValue.fromL(List.of(s("h100-1")))), Map.entry("detail", s("ready")),
                Map.entry("access", AttributeValue.fromM(Map.of("host", s("10.0.0.7"), "port", n(30022), "user", s("dev")))),
                Map.entry("remindersSent", AttributeValue.fromL(List.of(s("PT30M"), s("PT15M")))),
                Map.entry("chatRef", s("D0ANA:1762074000.000100")), Map.entry("shown", s("ACTIVE")), Map.entry("reminded", s("PT30M"))));

        Reservation r = ReservationItems.fromItem(item);

        assertThat(r.delivery()).isEqualTo(new Delivery(List.of(Duration.ofMinutes(30), Duration.ofMinutes(15)),
                "D0ANA:1762074000.000100", ReservationState.ACTIVE, Duration.ofMinutes(30)));
        assertThat(r.latestReminder()).contains(Duration.ofMinutes(15));
        assertThat(r.extendedBy()).isEqualTo(Duration.ofHours(1));
        assertThat(r.version()).isEqualTo(4);
        assertThat(ReservationItems.toItem(r)).isEqualTo(item);
    }

    /** {@code --disk} is one attribute, {@code disk}; an item without it (every item written before disks) mounts none. */
    @Test
    void theDiskAReservationMountsIsStoredAndAnOlderItemHasNone() {
        Reservation withDisk = Reservation.queued(new ReservationId("h100-0a02"), ANA, "h100", 1, Duration.ofHours(1),
                new RequestOptions(false, List.of(), null, null, new DiskName("data")), T0);
        Reservation without = Fixtures.queued("h100-0a03", ANA, 1, Duration.ofHours(1), T0);

        assertThat(ReservationItems.toItem(withDisk)).containsEntry("disk", s("data"));
        assertThat(ReservationItems.fromItem(ReservationItems.toItem(withDisk))).isEqualTo(withDisk);
        assertThat(ReservationItems.toItem(without)).doesNotContainKey("disk");
        assertThat(ReservationItems.fromItem(ReservationItems.toItem(without)).options().disk()).isNull();
    }
}
