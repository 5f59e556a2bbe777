package dev.gpudev.scheduler.usage;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.BO;
import static dev.gpudev.scheduler.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.GpuReading;
import dev.gpudev.scheduler.port.GpuSample;
import dev.gpudev.scheduler.port.GpuTelemetry;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;

/**
 * A week of history in the in-memory store, with known intervals, and telemetry that knows some reservations: the
 * figures, who may see which rows, and that rows add up to their totals.
 */
class UsageReportsTest {
    private static final Instant NOW = T0.plus(Duration.ofDays(7));
    private static final UserId CY = new UserId("U0CY");
    private final InMemoryReservationStore store = new InMemoryReservationStore();
    private final MutableClock clock = new MutableClock(NOW);
    private final Map<ReservationId, Double> utilization = new HashMap<>();
    private final List<Reservation> live = new ArrayList<>();
    private final GpuTelemetry telemetry = (ids, from, to) -> {
        Map<ReservationId, GpuReading> out = new HashMap<>(GpuTelemetry.unknown(ids, "no samples"));
        ids.stream().filter(utilization::containsKey).forEach(id -> out.put(id, new GpuReading.Samples(List.of(
                new GpuSample("gpu-0", from, utilization.get(id), 1000), new GpuSample("gpu-0", to, utilization.get(id), 1000)))));
        return out;
    };
    private UsageReports reports;

    @BeforeEach
    void history() {
        // ana, 4 × h100: asked T0+1h, ready T0+1h30 (waited 30m), 2h, expired: 480 GPU-min, busy 50 %
        ended("h100-0001", ANA, "h100", 4, T0.plusSeconds(3600), T0.plusSeconds(5400), Duration.ofHours(2), T0.plusSeconds(5400 + 7200), EndReason.EXPIRED);
        utilization.put(new ReservationId("h100-0001"), 50.0);
        // ana, 2 × h100: ready before the window (T0-1h), released T0+2h: 2h in the window = 240 GPU-min, no telemetry
        ended("h100-0002", ANA, "h100", 2, T0.minusSeconds(7200), T0.minusSeconds(3600), Duration.ofHours(3), T0.plusSeconds(7200), EndReason.CANCELLED);
        // bo, 8 × b200: asked T0+2d, ready 1h later, 4h planned, reclaimed idle after 2h: 960 GPU-min held, 960 reclaimed, busy 0 %
        Instant asked = T0.plus(Duration.ofDays(2));
        ended("b200-0003", BO, "b200", 8, asked, asked.plusSeconds(3600), Duration.ofHours(4), asked.plusSeconds(3 * 3600), EndReason.RECLAIMED_IDLE);
        utilization.put(new ReservationId("b200-0003"), 0.0);
        // bo, 1 × h100: cancelled while queued, never held GPUs
        store.create(Fixtures.queued("h100-0004", BO, 1, Duration.ofHours(1), T0.plusSeconds(60)).ended(EndReason.CANCELLED, "cancelled", T0.plusSeconds(120)));
        // ana, 8 × h100, live: asked 90m ago, ready 60m ago (waited 30m): 480 GPU-min so far, busy 100 %
        Reservation active = Fixtures.queued("h100-0005", ANA, 8, Duration.ofHours(4), NOW.minusSeconds(5400))
                .provisioning(List.of(new NodeName("node-a")), NOW.minusSeconds(5000)).active(access(), NOW.minusSeconds(3600));
        store.create(active);
        live.add(active);
        utilization.put(new ReservationId("h100-0005"), 100.0);
        // cy: a month ago, outside the week
        ended("h100-0006", CY, "h100", 1, NOW.minus(Duration.ofDays(20)), NOW.minus(Duration.ofDays(20)), Duration.ofHours(1),
                NOW.minus(Duration.ofDays(20)).plusSeconds(3600), EndReason.EXPIRED);
        reports = new UsageReports(store, () -> live, clock, telemetry, Map.of("ml", Set.of(ANA, CY)));
    }

    @Test
    void anAdminSeesEveryoneAndTheFiguresOfEachReservation() {
        UsageReport r = report(Actor.admin(CY), UsagePeriod.WEEK, new UsageScope.Everyone());

        assertThat(r.from()).isEqualTo(T0);
        assertThat(r.people()).extracting(UsageRow::key).containsExactly("U0ANA", "U0BO");
        UsageRow ana = r.people().get(0);
        assertThat(List.of(ana.reservations(), ana.reserved(), ana.measured(), ana.busy(), ana.reclaimed(), ana.started()))
                .containsExactly(3, 480L + 240 + 480, 480L + 480, 240L + 480, 0L, 2);
        assertThat(ana.waitTotal()).isEqualTo(Duration.ofHours(1));
        UsageRow bo = r.people().get(1);
        assertThat(List.of(bo.reservations(), bo.reserved(), bo.measured(), bo.busy(), bo.reclaimed(), bo.started()))
                .containsExactly(1, 960L, 960L, 0L, 960L, 1);
        assertThat(bo.waitMax()).isEqualTo(Duration.ofHours(1));
        assertThat(r.types()).extracting(UsageRow::key).containsExactly("b200", "h100");
        assertThat(r.total().busyShare().orElseThrow()).isCloseTo((240.0 + 480) / (480 + 480 + 960), offset(1e-9));
    }

    @Test
    void anExpiryNoticedLateCountsOnlyTheReservedTime() {
        Instant asked = T0.plus(Duration.ofDays(3));
        // 2 × h100 for 1h, ready at once; the tick that ended it came 30 minutes after its end
        ended("h100-0007", CY, "h100", 2, asked, asked, Duration.ofHours(1), asked.plusSeconds(5400), EndReason.EXPIRED);

        UsageReport r = report(Actor.admin(CY), UsagePeriod.WEEK, new UsageScope.Person(CY));

        assertThat(r.total().reserved()).isEqualTo(120);
    }

    @Test
    void anUnusedBookingCountsItsUnheldTimeAsReclaimedIdle() {
        Instant asked = T0.plus(Duration.ofDays(3));
        // 4 × h100 booked for 2h, ready at its start, released UNUSED 30 min later: 120 GPU-min held, 360 handed back
        ended("h100-0008", CY, "h100", 4, asked, asked.plusSeconds(3600), Duration.ofHours(2), asked.plusSeconds(5400), EndReason.UNUSED);

        UsageReport r = report(Actor.admin(CY), UsagePeriod.WEEK, new UsageScope.Person(CY));

        assertThat(r.total().reserved()).isEqualTo(120);
        assertThat(r.total().reclaimed()).isEqualTo(360);
    }

    @Test
    void rowsAddUpToTheTotalsForPeopleAndForTypes() {
        for (UsagePeriod period : UsagePeriod.values()) {
            UsageReport r = report(Actor.admin(CY), period, new UsageScope.Everyone());
            assertThat(r.people().stream().reduce(UsageRow.empty("total"), UsageRow::plus)).isEqualTo(r.total());
            assertThat(r.types().stream().reduce(UsageRow.empty("total"), UsageRow::plus)).isEqualTo(r.total());
            assertThat(r.total()).isEqualTo(r.cluster().named("total"));
        }
        assertThat(report(Actor.admin(CY), UsagePeriod.MONTH, new UsageScope.Everyone()).people()).extracting(UsageRow::key).contains("U0CY");
    }

    @Test
    void aPersonSeesTheirOwnRowsAndEveryonesTotal() {
        UsageReport r = report(Actor.user(BO), UsagePeriod.WEEK, new UsageScope.Everyone());

        assertThat(r.scope()).isEqualTo(new UsageScope.Person(BO));
        assertThat(r.people()).extracting(UsageRow::key).containsExactly("U0BO");
        assertThat(r.types()).extracting(UsageRow::key).containsExactly("b200");
        assertThat(r.total().reserved()).isEqualTo(960);
        assertThat(r.cluster().reserved()).isEqualTo(480 + 240 + 960 + 480);
    }

    @Test
    void askingForSomeoneElseOrATeamWithoutBeingAdminIsRefused() {
        assertThat(reports.report(Actor.user(BO), UsagePeriod.WEEK, new UsageScope.Person(ANA)))
                .isEqualTo(new UsageOutcome.Refused("Only admins may see someone else's usage. `/gpu usage week` shows yours and everyone's total."));
        assertThat(reports.report(Actor.user(ANA), UsagePeriod.WEEK, new UsageScope.Team("ml"))).isInstanceOf(UsageOutcome.Refused.class);
        assertThat(report(Actor.user(BO), UsagePeriod.WEEK, new UsageScope.Person(BO)).people()).extracting(UsageRow::key).containsExactly("U0BO");
    }

    @Test
    void anAdminSeesATeamAndAnUnknownTeamIsNamedWithTheKnownOnes() {
        UsageReport team = report(Actor.admin(BO), UsagePeriod.MONTH, new UsageScope.Team("ml"));
        assertThat(team.people()).extracting(UsageRow::key).containsExactly("U0ANA", "U0CY");

        assertThat(reports.report(Actor.admin(BO), UsagePeriod.WEEK, new UsageScope.Team("vision")))
                .isEqualTo(new UsageOutcome.Refused("There is no team `vision`; the teams are ml."));
    }

    @Test
    void withoutTelemetryTheBusyShareIsUnknownNotZero() {
        reports = new UsageReports(store, () -> live, clock, GpuTelemetry.OFF, Map.of());
        UsageReport r = report(Actor.admin(CY), UsagePeriod.WEEK, new UsageScope.Everyone());

        assertThat(r.busyKnown()).isFalse();
        assertThat(r.total().busyShare()).isEmpty();
        assertThat(r.total().reserved()).isEqualTo(480 + 240 + 960 + 480);
    }

    private UsageReport report(Actor actor, UsagePeriod period, UsageScope scope) {
        return ((UsageOutcome.Report) reports.report(actor, period, scope)).report();
    }

    private void ended(String id, UserId owner, String type, int gpus, Instant asked, Instant ready, Duration d, Instant end, EndReason why) {
        store.create(Fixtures.queued(id, owner, gpus, d, asked).provisioning(List.of(new NodeName("node-a")), asked)
                .active(access(), ready).ended(why, why.name(), end));
    }

    private static ServerAccess access() {
        return new ServerAccess("node-a.example", 22, "dev", null);
    }
}
