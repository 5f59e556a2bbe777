package dev.gpudev.scheduler.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;

import dev.gpudev.scheduler.app.ActionOutcome;
import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;

/**
 * Scripts of what users, the cluster and time do, for the crash tests, which kill the bot somewhere in one; and what
 * a run must end with whatever the crash: one reservation per request, nothing stuck, no message lost or twice, and
 * the same end state and answers as a run without a crash ({@link #summary}, {@link #answers}).
 */
public final class CrashScripts {
    private CrashScripts() {
    }

    public record Step(String name, Consumer<CrashWorld> action) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Every kind of step at least once, in an order a person can follow. */
    public static List<Step> fixed() {
        return flat(
                reserve("U01", 8, Duration.ofHours(2), "r1"),
                pause(),
                reserve("U02", 4, Duration.ofHours(1), "r2"),
                pause(),
                reserve("U03", 8, Duration.ofHours(1), "r3"),
                pause(),
                reserve("U04", 4, Duration.ofMinutes(30), "r4"),
                settle(),
                reserve("U02", 4, Duration.ofHours(1), "r2"),
                after(Duration.ofMinutes(35)),
                cancel("U01", "r1", "c1"),
                settle(),
                extend("U03", "r3", Duration.ofMinutes(30), "e1"),
                extend("U03", "r3", Duration.ofMinutes(30), "e1"),
                after(Duration.ofMinutes(12)),
                after(Duration.ofMinutes(10)),
                after(Duration.ofMinutes(10)),
                reserve("U05", 16, Duration.ofHours(1), "r5"),
                cancel("U03", "r3", "c2"),
                settle(),
                extend("U05", "r5", Duration.ofHours(1), "e2"),
                pause(),
                reserve("U06", 2, Duration.ofHours(1), "r6"),
                after(Duration.ofHours(2)),
                settle(),
                after(Duration.ofHours(1)),
                settle(),
                after(Duration.ZERO),
                settle());
    }

    /**
     * Bookings among requests to start now: booked, refused for want of room, held while others backfill, reminded,
     * started on time, used, left unused and released, cancelled before the start.
     */
    public static List<Step> bookings() {
        return flat(
                book("U01", 8, Duration.ofHours(2), Duration.ofMinutes(90), "b1"),
                pause(),
                book("U02", 8, Duration.ofHours(1), Duration.ofMinutes(60), "b2"),
                pause(),
                book("U03", 16, Duration.ofHours(1), Duration.ofMinutes(80), "b3"),
                pause(),
                reserve("U04", 4, Duration.ofMinutes(30), "r1"),
                pause(),
                book("U05", 4, Duration.ofHours(1), Duration.ofHours(6), "b4"),
                settle(),
                reserve("U04", 8, Duration.ofHours(3), "r2"),
                after(Duration.ofMinutes(46)),
                cancel("U05", "b4", "c1"),
                after(Duration.ofMinutes(14)),
                settle(),
                use("U02", "b2"),
                after(Duration.ofMinutes(30)),
                settle(),
                use("U01", "b1"),
                after(Duration.ofMinutes(31)),
                after(Duration.ofHours(2)),
                settle(),
                after(Duration.ofHours(4)),
                settle());
    }

    /**
     * The idle policy: a busy and an idle server, the question (asked once, however often the poll runs), Keep (twice:
     * a double click), the snooze running out and a second question, grace running while nobody waits (nothing
     * happens), a request that waits, the reclaim once the grace is over, a Keep after it, and a Release from the question.
     */
    public static List<Step> idle() {
        return flat(
                reserve("U01", 8, Duration.ofHours(5), "i1"),
                pause(),
                reserve("U02", 8, Duration.ofHours(5), "i2"),
                settle(),
                busy("i2", true),
                after(Duration.ofMinutes(31)),
                idleCheck(),
                idleCheck(),
                keep("U01", "i1", "k1"),
                keep("U01", "i1", "k1"),
                keep("U02", "i1", "k2"),
                after(Duration.ofHours(2)),
                idleCheck(),
                after(Duration.ofMinutes(25)),
                idleCheck(),
                reserve("U03", 4, Duration.ofHours(1), "i3"),
                idleCheck(),
                after(Duration.ofMinutes(1)),
                idleCheck(),
                keep("U01", "i1", "k3"),
                settle(),
                busy("i2", false),
                after(Duration.ofMinutes(31)),
                idleCheck(),
                cancel("U02", "i2", "c1"),
                cancel("U02", "i2", "c1"),
                after(Duration.ZERO),
                settle());
    }

    static Step idleCheck() {
        return new Step("idle poll", w -> w.idle.check());
    }

    static Step keep(String user, String reservationKey, String key) {
        return new Step("keep " + reservationKey, w -> w.answers.add(w.bot().keep(new UserId(user), w.idOf(reservationKey), false, key,
                r -> CrashWorld.IDLE.rule(r.gpuType()))));
    }

    /** The server's GPUs run or idle from now on (the world's telemetry, not a step the bot can die in). */
    static Step busy(String reservationKey, boolean busy) {
        return new Step((busy ? "busy " : "idle ") + reservationKey, w -> w.gpus.busy(w.idOf(reservationKey), busy));
    }

    /**
     * {@code length} random steps from four users: requests of 1 to 16 GPUs, cancels and extensions (of any earlier
     * request, ended or not), redelivered requests, servers getting ready, and time passing; then time runs out until
     * every request has been served.
     */
    public static List<Step> random(long seed, int length) {
        Random random = new Random(seed);
        List<Object> steps = new ArrayList<>();
        List<String> requests = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        int[] counts = {1, 2, 4, 8, 16};
        int[] minutes = {20, 45, 90};
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(10);
            if (pick < 3 || requests.isEmpty()) {
                String key = "r" + i;
                String user = "U0" + random.nextInt(4);
                requests.add(key);
                owners.add(user);
                steps.add(reserve(user, counts[random.nextInt(counts.length)], Duration.ofMinutes(minutes[random.nextInt(minutes.length)]), key));
                steps.add(pause());
            } else {
                int which = random.nextInt(requests.size());
                String key = requests.get(which);
                String owner = owners.get(which);
                steps.add(switch (pick) {
                    case 3 -> cancel(owner, key, "c" + i);
                    case 4 -> extend(owner, key, Duration.ofMinutes(30), "e" + i);
                    case 5 -> reserve(owner, 1, Duration.ofMinutes(20), key);
                    case 6, 7 -> settle();
                    default -> after(Duration.ofMinutes(1 + random.nextInt(25)));
                });
            }
        }
        for (int round = 0; round < 8; round++) {
            steps.add(settle());
            steps.add(after(Duration.ofHours(5)));
        }
        steps.add(settle());
        return flat(steps.toArray());
    }

    static Step reserve(String user, int gpus, Duration d, String key) {
        return new Step("reserve " + key, w -> w.answers.add(w.bot().reserve(new UserId(user),
                new Command.Reserve("h100", gpus, d, false, List.of(), key, null), key)));
    }

    /** A booking {@code ahead} of the world's clock; its answers name the start in UTC. */
    static Step book(String user, int gpus, Duration d, Duration ahead, String key) {
        return new Step("book " + key, w -> w.answers.add(w.bot().book(new UserId(user), false,
                new Command.Reserve("h100", gpus, d, false, List.of(), key, null), w.clock.instant().plus(ahead), ZoneOffset.UTC, key)));
    }

    static Step use(String user, String reservationKey) {
        return new Step("use " + reservationKey, w -> w.answers.add(w.bot().useBooking(new UserId(user), w.idOf(reservationKey), false)));
    }

    static Step cancel(String user, String reservationKey, String key) {
        return new Step("cancel " + reservationKey, w -> w.answers.add(w.bot().cancel(new UserId(user), w.idOf(reservationKey), false, key)));
    }

    static Step extend(String user, String reservationKey, Duration by, String key) {
        return new Step("extend " + reservationKey, w -> w.answers.add(w.bot().extend(new UserId(user), w.idOf(reservationKey), by, false, key)));
    }

    static Step settle() {
        return new Step("servers ready", CrashWorld::settle);
    }

    /** A little time passes between requests, so their queue order does not hang on their random ids. */
    static Step pause() {
        return new Step("a second passes", w -> w.clock.advance(Duration.ofSeconds(1)));
    }

    /** Time passes (not a step the bot can die in: the clock is the world's), then the timer fires. */
    static List<Step> after(Duration d) {
        return List.of(new Step("time passes " + d, w -> w.clock.advance(d)), new Step("tick", w -> w.bot().tick()));
    }

    private static List<Step> flat(Object... steps) {
        List<Step> all = new ArrayList<>();
        for (Object s : steps) {
            if (s instanceof Step step) {
                all.add(step);
            } else {
                ((List<?>) s).forEach(x -> all.add((Step) x));
            }
        }
        return List.copyOf(all);
    }

    /** Nothing stuck in PROVISIONING, one reservation per request, no message lost or delivered twice. */
    public static void checkAtEnd(CrashWorld w) {
        List<Reservation> all = w.all();
        assertThat(all).as("nothing stuck in PROVISIONING").noneMatch(r -> r.state() == ReservationState.PROVISIONING);
        assertThat(all).as("one reservation per request").extracting(r -> r.options().name()).doesNotHaveDuplicates();
        for (Reservation r : all) {
            if (r.endReason() == EndReason.RECLAIMED_IDLE) {
                Instant shown = r.idle().shownAt();
                assertThat(shown).as(r.id() + " reclaimed without a question shown").isNotNull();
                assertThat(Duration.between(shown, r.updatedAt())).as(r.id() + " reclaimed before the full grace")
                        .isGreaterThanOrEqualTo(CrashWorld.IDLE.rule(r.gpuType()).grace());
            }
        }
        w.deliveries.check(all);
    }

    /** What each request and action was answered, ids replaced by request names; a redelivery may be a duplicate of an accepted one. */
    public static List<String> answers(CrashWorld w) {
        Map<String, String> names = new HashMap<>();
        w.all().forEach(r -> names.put(r.id().value(), "<" + r.options().name() + ">"));
        return w.answers.stream().map(a -> switch (a) {
            case ReserveOutcome.Accepted acc -> "accepted";
            case ReserveOutcome.Duplicate d -> "accepted";
            case ReserveOutcome.Refused r -> "refused: " + r.reason();
            case ActionOutcome.Done d -> "done: " + d.message();
            case ActionOutcome.Refused r -> "refused: " + r.reason();
            default -> throw new IllegalStateException("not an answer: " + a);
        }).map(text -> {
            String named = text;
            for (var e : names.entrySet()) {
                named = named.replace(e.getKey(), e.getValue());
            }
            return named;
        }).toList();
    }

    /** Per request: how its reservation ended up. */
    public static Map<String, String> summary(CrashWorld w) {
        Map<String, String> s = new TreeMap<>();
        for (Reservation r : w.all()) {
            s.put(r.options().name(), r.state() + " " + r.endReason() + " nodes=" + r.nodes() + " +" + r.extendedBy()
                    + " ends=" + r.endsAt() + " detail=" + r.detail());
        }
        return s;
    }
}
