package dev.gpudev.scheduler.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.NodeInfo;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.testing.FakeCluster;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;
import dev.gpudev.scheduler.testing.RecordingNotifier;

/**
 * Bookings among requests to start now, through the real service: bookings never overlap each other or what runs,
 * never start late, and no node is ever over-allocated. The clock stops at every wake-up the service asks for, as the
 * ticker does. {@code mvn test} runs 300 random workloads and the fuzzer's seeds; {@code JAZZER_FUZZ=1} searches for more.
 */
class BookingFuzzTest {
    private static final int[] GPUS = {1, 2, 4, 8, 16};
    private static final ClusterSnapshot CLUSTER = new ClusterSnapshot(List.of(
            new NodeInfo(new NodeName("a-1"), "h100", 8, 0, true, "pg-a", null),
            new NodeInfo(new NodeName("a-2"), "h100", 8, 0, true, "pg-a", null),
            new NodeInfo(new NodeName("b-1"), "h100", 8, 0, true, "pg-b", null)));

    /** The input: numbers in a range, from the fuzzer or from a seeded random source. */
    interface Source {
        int next(int min, int max);

        boolean more();
    }

    @FuzzTest(maxDuration = "20s")
    void bookingsNeverOverlapStartLateOrOverAllocate(FuzzedDataProvider data) {
        run(new Source() {
            public int next(int min, int max) {
                return data.consumeInt(min, max);
            }

            public boolean more() {
                return data.remainingBytes() > 0;
            }
        });
    }

    @Test
    void threeHundredRandomWorkloads() {
        for (int seed = 0; seed < 300; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int[] left = {40};
            run(new Source() {
                public int next(int min, int max) {
                    return random.nextInt(min, max + 1);
                }

                public boolean more() {
                    return left[0]-- > 0;
                }
            });
        }
    }

    private static void run(Source in) {
        MutableClock clock = new MutableClock(Fixtures.T0);
        InMemoryReservationStore store = new InMemoryReservationStore();
        FakeCluster cluster = new FakeCluster(CLUSTER);
        ReservationService service = Fixtures.service(store, cluster, new RecordingNotifier(), clock);
        service.start();
        int steps = 0;
        do {
            advance(service, store, clock, Duration.ofMinutes(in.next(0, 120)));
            UserId user = new UserId("U0USER" + in.next(0, 5));
            int gpus = GPUS[in.next(0, GPUS.length - 1)];
            Duration length = Duration.ofMinutes(30L * in.next(1, 12));
            List<Reservation> live = List.copyOf(store.live());
            Reservation some = live.isEmpty() ? null : live.get(in.next(0, live.size() - 1));
            switch (in.next(0, 4)) {
                case 0, 1 -> service.book(user, false, new Command.Reserve("h100", gpus, length, false, List.of(), null, null),
                        clock.instant().plus(Duration.ofMinutes(in.next(1, 600))), ZoneOffset.UTC, null);
                case 2 -> service.reserve(user, new Command.Reserve("h100", gpus, length, false, List.of(), null, null), null);
                case 3 -> {
                    if (some != null && some.state() == ReservationState.PROVISIONING) {
                        cluster.ready(some.id());
                    }
                }
                default -> {
                    if (some != null) {
                        service.cancel(some.owner(), some.id().value(), false);
                    }
                }
            }
            check(store, clock.instant());
        } while (in.more() && ++steps < 60);
        advance(service, store, clock, Duration.ofHours(12));
    }

    /** Moves the clock to each wake-up before {@code by} has passed, ticking there; servers become ready as they start. */
    private static void advance(ReservationService service, InMemoryReservationStore store, MutableClock clock, Duration by) {
        Instant target = clock.instant().plus(by);
        for (int i = 0; i < 1000; i++) {
            Optional<Instant> next = service.nextWakeup();
            if (next.isEmpty() || next.get().isAfter(target)) {
                break;
            }
            if (next.get().isAfter(clock.instant())) {
                clock.set(next.get());
            }
            service.tick();
            check(store, clock.instant());
        }
        clock.set(target);
        service.tick();
        check(store, clock.instant());
    }

    private static void check(InMemoryReservationStore store, Instant now) {
        Limits limits = Limits.defaults();
        Map<NodeName, Integer> used = new HashMap<>();
        List<Reservation> live = store.live();
        for (Reservation r : live) {
            if (r.state().holdsGpus()) {
                r.nodes().forEach(n -> used.merge(n, r.gpusPerNode(), Integer::sum));
            }
            if (r.booking() != null && r.state() == ReservationState.QUEUED) {
                assertThat(now).as("booking %s is still queued after its start", r.id()).isBefore(r.booking().startsAt());
            }
        }
        used.forEach((n, gpus) -> assertThat(gpus).as("GPUs held on %s", n).isLessThanOrEqualTo(8));
        // at each booking's start, on each of its nodes: what is booked then plus what may still run then fits the node
        for (Reservation b : live) {
            if (b.booking() == null || b.state() != ReservationState.QUEUED) {
                continue;
            }
            Instant at = b.booking().startsAt();
            assertThat(b.booking().nodes()).as("booking %s is placed", b.id()).isNotEmpty();
            for (NodeName n : b.booking().nodes()) {
                int there = 0;
                for (Reservation r : live) {
                    if (r.booking() != null && r.state() == ReservationState.QUEUED && r.booking().nodes().contains(n)) {
                        Instant from = r.booking().startsAt();
                        Instant until = from.plus(r.duration()).plus(limits.provisionTimeout());
                        there += !at.isBefore(from) && at.isBefore(until) ? r.gpus() / r.booking().nodes().size() : 0;
                    } else if (r.state().holdsGpus() && r.nodes().contains(n)) {
                        Instant until = r.state() == ReservationState.ACTIVE ? r.endsAt()
                                : r.updatedAt().plus(r.duration()).plus(limits.provisionTimeout());
                        there += at.isBefore(until) ? r.gpusPerNode() : 0;
                    }
                }
                assertThat(there).as("GPUs taken on %s at %s, when booking %s starts; now %s, live %s", n, at, b.id(), now, live).isLessThanOrEqualTo(8);
            }
        }
    }
}
