package dev.gpudev.adapters.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.service.ReservationService;
import dev.gpudev.scheduler.testing.Crash;
import dev.gpudev.scheduler.testing.CrashPoints;
import dev.gpudev.scheduler.testing.CrashingStore;
import dev.gpudev.scheduler.testing.Deliveries;
import dev.gpudev.scheduler.testing.FakeIdentity;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;

/**
 * What survives a crash of the bot (the store, the cluster, the messages users got, the clock) and the bot itself,
 * which {@link #restart} replaces by a new one that knows nothing but what it reads back.
 */
final class World {
    private static final GpuCatalog CATALOG = GpuCatalog.defaults();

    final ReservationStore durable;
    final TestCluster cluster = new TestCluster(Fixtures.nodes("h100", 2, 8));
    final Deliveries deliveries = new Deliveries();
    final MutableClock clock = new MutableClock(Fixtures.T0);
    final CrashPoints points;
    final List<Object> answers = new ArrayList<>();
    ReservationService bot;
    int restarts;
    String crash = "none";

    World(ReservationStore durable, long crashAt) {
        this.durable = durable;
        this.points = new CrashPoints(crashAt);
        try {
            boot();
        } catch (Crash c) {
            crash = c.getMessage() + " at the first start";
            restart();
        }
    }

    void restart() {
        restarts++;
        boot();
    }

    private void boot() {
        bot = new ReservationService(new Engine(CATALOG, Limits.defaults()), new RequestValidator(CATALOG, Limits.defaults()),
                new CrashingStore(durable, points), new CrashingCluster(cluster, points), new FakeIdentity(),
                deliveries.notifier(points, () -> bot), clock, new Random(restarts));
        bot.start();
    }

    /** Runs one step; if the bot dies in it, restarts the bot and delivers the step again, as Slack and the timer would. */
    void perform(Step step) {
        try {
            step.action().accept(this);
        } catch (Crash c) {
            crash = c.getMessage() + " in step '" + step + "'";
            restart();
            step.action().accept(this);
        }
    }

    record Step(String name, java.util.function.Consumer<World> action) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Step reserve(String user, int gpus, Duration d, String key) {
        return new Step("reserve " + key, w -> w.answers.add(w.bot.reserve(new UserId(user),
                new Command.Reserve("h100", gpus, d, false, List.of(), key, null), key)));
    }

    static Step cancel(String user, String reservationKey, String key) {
        return new Step("cancel " + reservationKey, w -> w.answers.add(w.bot.cancel(new UserId(user), w.idOf(reservationKey), false, key)));
    }

    static Step extend(String user, String reservationKey, Duration by, String key) {
        return new Step("extend " + reservationKey, w -> w.answers.add(w.bot.extend(new UserId(user), w.idOf(reservationKey), by, false, key)));
    }

    static Step settle() {
        return new Step("servers ready", w -> w.cluster.settle());
    }

    /** A little time passes between requests, so their queue order does not hang on their random ids. */
    static Step pause() {
        return new Step("a second passes", w -> w.clock.advance(Duration.ofSeconds(1)));
    }

    /** Time passes (not a step the bot can die in: the clock is the world's), then the timer fires. */
    static List<Step> after(Duration d) {
        return List.of(new Step("time passes " + d, w -> w.clock.advance(d)), new Step("tick", w -> w.bot.tick()));
    }

    /**
     * The id of the reservation a request made, found by the name the script gave it (the user has it from the bot's
     * message); for a request that was refused, an id that matches nothing.
     */
    String idOf(String key) {
        return all().stream().filter(r -> key.equals(r.options().name())).findFirst().map(r -> r.id().value()).orElse("x0-0000");
    }

    List<Reservation> all() {
        return durable.byIdPrefix("");
    }
}
