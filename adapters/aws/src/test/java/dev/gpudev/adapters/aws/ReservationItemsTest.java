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

import dev.gpudev.scheduler.model.Booking;
import dev.gpudev.scheduler.model.Delivery;
import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.IdleMark;
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
                active.nodes(), EndReason.CANCELLED, "released", ACCESS, Delivery.NONE, IdleMark.NONE, 3);

        assertThat(ReservationItems.toItem(active).toString()).contains("t0k3n");
        assertThat(ReservationItems.toItem(ended).toString()).doesNotContain("t0k3n");
        assertThat(ReservationItems.fromItem(ReservationItems.toItem(ended)).access()).isEqualTo(ACCESS.withoutJupyter());
    }

    /** What the server runs (the ready DM's GPU line) is kept with its access; an item without it reads as nothing read. */
    @Test
    void whatTheServerRunsIsKeptWithItsAccessAndSurvivesTheEnd() {
        ServerAccess about = ACCESS.withAbout("8 × NVIDIA H100 80GB HBM3 · driver 550.54.15 · CUDA 12.4 · image nvcr.io/nvidia/pytorch:25.01-py3");
        Reservation active = Fixtures.queued("h100-0a02", ANA, 1, Duration.ofHours(1), T0)
                .provisioning(List.of(new NodeName("h100-1")), T0).active(about, T0);

        assertThat(ReservationItems.fromItem(ReservationItems.toItem(active)).access()).isEqualTo(about);
        Reservation ended = active.ended(EndReason.EXPIRED, "time is up", T0.plusSeconds(3600));
        assertThat(ReservationItems.fromItem(ReservationItems.toItem(ended)).access().about()).isEqualTo(about.about());
        assertThat(ReservationItems.fromItem(ReservationItems.toItem(active.ended(EndReason.EXPIRED, "x", T0)))
                .access().jupyterUrl()).isNull();
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
        assertThat(r.booking()).as("an item from before bookings is no booking").isNull();
        assertThat(r.idle()).as("an item from before the idle policy").isEqualTo(IdleMark.NONE);
        assertThat(r.access().about()).isNull();
        assertThat(ReservationItems.toItem(r)).isEqualTo(item);
    }

    @Test
    void aBookingReadsBackAsItWasWrittenAtEachStep() {
        Reservation queued = Fixtures.queued("h100-0b01", ANA, 8, Duration.ofHours(4), T0)
                .withBooking(Booking.at(T0.plus(Duration.ofDays(3))).on(List.of(new NodeName("h100-2"))));
        Reservation reminded = queued.withBooking(queued.booking().remindedNow());
        Reservation due = queued.withBooking(queued.booking().dueNow());
        Reservation used = due.provisioning(List.of(new NodeName("h100-2")), T0).active(ACCESS, T0).withBooking(due.booking().usedNow());
        for (Reservation r : List.of(queued, reminded, due, used)) {
            assertThat(ReservationItems.fromItem(ReservationItems.toItem(r)).booking()).isEqualTo(r.booking());
        }
        assertThat(ReservationItems.fromItem(ReservationItems.toItem(queued))).isEqualTo(queued);
    }

    @Test
    void theIdleMarkIsOneNestedAttributeThatReadsBackWhateverIsSet() {
        Reservation active = Fixtures.queued("h100-0a01", ANA, 4, Duration.ofHours(1), T0)
                .provisioning(List.of(new NodeName("h100-1")), T0).active(ACCESS, T0);
        for (IdleMark m : List.of(new IdleMark(T0, T0.plusSeconds(60), null, null, 1), new IdleMark(null, null, null, T0.plusSeconds(7200), 3),
                new IdleMark(T0, T0.plusSeconds(60), T0.plusSeconds(61), T0.minusSeconds(5), 7))) {
            Map<String, AttributeValue> item = ReservationItems.toItem(active.withIdle(m));
            assertThat(item.get(ReservationItems.IDLE).m()).containsKey("questions");
            assertThat(ReservationItems.fromItem(item).idle()).isEqualTo(m);
        }
        assertThat(ReservationItems.toItem(active)).doesNotContainKey(ReservationItems.IDLE);
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
