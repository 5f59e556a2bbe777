package dev.gpudev.scheduler.engine;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.BO;
import static dev.gpudev.scheduler.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.timeline.ExpectedRun;
import dev.gpudev.scheduler.timeline.QueuePlan;

class ReleasesTest {
    final Engine engine = new Engine(GpuCatalog.defaults(), Limits.defaults());
    SchedulerState state = SchedulerState.of(List.of(), Fixtures.nodes("h100", 1, 8));
    Instant now = T0;

    Decision on(Event e) {
        Decision d = engine.decide(state, now, e);
        state = d.state();
        return d;
    }

    Reservation run(String id, UserId who, Duration d) {
        Reservation r = Fixtures.queued(id, who, 8, d, now);
        on(new Event.Submitted(r));
        on(new Event.ServerReady(r.id(), EngineTest.ACCESS));
        return state.find(r.id()).orElseThrow();
    }

    @Test
    void aWaitingRequestIsToldTheStartThatTheOwnersEarlyReleasesPredictNotTheReservedEnd() {
        Reservation first = run("h100-0001", ANA, Duration.ofHours(10));
        now = now.plus(Duration.ofHours(3));
        on(new Event.CancelRequested(first.id(), "done"));
        // her mean starts at 1 (the reserved end) and moves 0.3 of the way to what she used: 1 + 0.3 * (0.3 - 1)
        assertThat(state.releases().share(ANA)).isCloseTo(0.79, within(1e-9));

        Reservation second = run("h100-0002", ANA, Duration.ofHours(10));
        Decision d = on(new Event.Submitted(Fixtures.queued("h100-000b", BO, 8, Duration.ofHours(1), now)));
        List<Notice.Queued> told = d.effects().stream().flatMap(e -> e instanceof Effect.Notify(Notice.Queued q) ? Stream.of(q)
                : Stream.empty()).toList();
        // Bo is told 7 h 54 min after her second server started (0.79 of 10 h; rounded up to the planner's 5-minute grid
        // of guesses), not its reserved end 10 h after
        assertThat(told).singleElement().satisfies(q -> assertThat(q.eta()).isEqualTo(now.plus(Duration.ofMinutes(475))));
        QueuePlan.Entry planned = engine.plans(state, now).get("h100").waiting().getFirst();
        assertThat(planned.eta()).isEqualTo(second.endsAt());
        assertThat(planned.promised()).isNotEmpty();
    }

    @Test
    void anEndWhileProvisioningOrQueuedTeachesNothingAndAServerThatRanOutCountsAsAllOfItsTime() {
        Reservation queued = Fixtures.queued("h100-0001", ANA, 8, Duration.ofHours(2), now);
        Reservation provisioning = queued.provisioning(List.of(new NodeName("h100-1")), now);
        Releases none = Releases.EMPTY.learned(queued, queued.ended(EndReason.CANCELLED, "x", now))
                .learned(provisioning, provisioning.ended(EndReason.FAILED, "x", now));
        assertThat(none.seen()).isZero();
        assertThat(none.expected()).isSameAs(ExpectedRun.NONE);

        Reservation active = provisioning.active(EngineTest.ACCESS, now);
        Releases full = none.learned(active, active.ended(EndReason.EXPIRED, "x", active.endsAt()));
        assertThat(full.share(ANA)).isEqualTo(1.0);
        assertThat(full.share(BO)).isEqualTo(1.0);
        Releases early = full.learned(active, active.ended(EndReason.CANCELLED, "x", now.plus(Duration.ofMinutes(12))));
        // Ana: 1.0 then 0.1, weighted 0.3 for the newest; everyone's moves by 0.05 of the difference; Bo has none of his own
        assertThat(early.share(ANA)).isCloseTo(0.73, within(1e-9));
        assertThat(early.share(BO)).isCloseTo(0.955, within(1e-9));
    }

    /**
     * The history changes what owners are told, never what starts: the same random workload decided with the history
     * and with it wiped before every decision leaves the same reservations, the same effects (the notices of queue
     * positions and ETAs aside) and the same plans (starts, positions, planned starts, promised nodes), and every told ETA
     * is at most the planned start.
     */
    @Test
    void theLearnedHistoryChangesNoStartNoPromiseAndNoEnd() {
        SplittableRandom random = new SplittableRandom(16);
        state = SchedulerState.of(List.of(), Fixtures.nodes("h100", 4, 8));
        SchedulerState blind = state;
        List<ReservationId> ids = new ArrayList<>();
        int[] sizes = {1, 2, 4, 8, 16};
        UserId[] users = {ANA, BO, new UserId("U0CY"), new UserId("U0DI")};
        int toldEarlier = 0;
        for (int step = 0; step < 600; step++) {
            now = now.plusSeconds(60 + random.nextInt(1800));
            Event event;
            List<Reservation> running = state.inState(ReservationState.ACTIVE);
            List<Reservation> starting = state.inState(ReservationState.PROVISIONING);
            int pick = random.nextInt(10);
            if (pick < 4) {
                ReservationId id = new ReservationId(String.format("h100-%04x", ids.size() + 1));
                ids.add(id);
                event = new Event.Submitted(Reservation.queued(id, users[random.nextInt(users.length)], "h100", sizes[random.nextInt(sizes.length)],
                        Duration.ofHours(1 + random.nextInt(8)), RequestOptions.NONE, now));
            } else if (pick < 6 && !starting.isEmpty()) {
                event = new Event.ServerReady(starting.get(random.nextInt(starting.size())).id(), EngineTest.ACCESS);
            } else if (pick < 9 && !running.isEmpty()) {
                event = new Event.CancelRequested(running.get(random.nextInt(running.size())).id(), "done");
            } else {
                event = new Event.Tick();
            }
            Decision seeing = engine.decide(state, now, event);
            Decision not = engine.decide(blind.withReleases(Releases.EMPTY), now, event);
            assertThat(seeing.state()).isEqualTo(not.state());
            assertThat(seeing.changed()).isEqualTo(not.changed());
            assertThat(decisive(seeing)).isEqualTo(decisive(not));
            state = seeing.state();
            blind = not.state();
            assertThat(decisive(engine.plans(state, now))).isEqualTo(decisive(engine.plans(blind.withReleases(Releases.EMPTY), now)));
            for (QueuePlan plan : engine.plans(state, now).values()) {
                for (QueuePlan.Entry e : plan.waiting()) {
                    if (e.eta() != null) {
                        assertThat(e.told()).isNotNull().isBeforeOrEqualTo(e.eta());
                        toldEarlier += e.told().isBefore(e.eta()) ? 1 : 0;
                    }
                }
            }
        }
        assertThat(state.releases().seen()).isGreaterThan(50);
        assertThat(toldEarlier).as("the history moved some ETAs").isGreaterThan(0);
    }

    /** What a plan decides: who starts where, and each waiting request's position, planned start and promised nodes. */
    private static List<List<Object>> decisive(Map<String, QueuePlan> plans) {
        return plans.values().stream().flatMap(p -> p.entries().stream())
                .map(e -> Arrays.asList(e.reservation().id(), e.startOn(), e.position(), e.eta(), e.promised())).toList();
    }

    private static List<Effect> decisive(Decision d) {
        return d.effects().stream().filter(e -> !(e instanceof Effect.Notify(Notice.Queued q))).toList();
    }
}
