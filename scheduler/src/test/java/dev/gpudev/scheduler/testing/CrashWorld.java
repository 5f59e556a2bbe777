package dev.gpudev.scheduler.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.idle.Exemptions;
import dev.gpudev.scheduler.idle.IdlePolicy;
import dev.gpudev.scheduler.idle.IdleRule;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.port.Cluster;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.service.IdleChecks;
import dev.gpudev.scheduler.service.ReservationService;

/**
 * What survives a crash of the bot (the store, the clock, the answers and messages users got) and the bot itself,
 * which {@link #restart} replaces by a new one that knows nothing but what it reads back. Each crash test's world adds
 * its own cluster and says how the bot boots on it.
 */
public abstract class CrashWorld {
    protected static final GpuCatalog CATALOG = GpuCatalog.defaults();

    public final ReservationStore durable;
    public final Deliveries deliveries = new Deliveries();
    public final MutableClock clock = new MutableClock(Fixtures.T0);
    public final CrashPoints points;
    /** The servers' GPU telemetry: all idle unless a script marks one busy. */
    public final FakeGpus gpus = new FakeGpus();
    /** The idle policy of the crash scripts: the documented defaults. */
    public static final IdlePolicy IDLE = new IdlePolicy(IdleRule.defaults(), Map.of(), Exemptions.NONE);
    /** What each request and action was answered, in script order. */
    public final List<Object> answers = new ArrayList<>();
    public int restarts;
    public String crash = "none";
    protected ReservationService bot;
    /** The running bot's idle poll; a restart makes a new one that knows nothing but the store. */
    public IdleChecks idle;

    protected CrashWorld(ReservationStore durable, long crashAt) {
        this.durable = durable;
        this.points = new CrashPoints(crashAt);
    }

    /** Boots the first bot; a subclass calls it once its own parts exist. */
    protected final void start() {
        try {
            boot();
        } catch (Crash c) {
            crash = c.getMessage() + " at the first start";
            restart();
        }
    }

    /** Makes and starts {@link #bot} over the world's store and cluster, each behind its crash points. */
    protected abstract void boot();

    /** A bot over {@code store} and {@code cluster} with the default catalog and limits, everybody allowed in. */
    protected final ReservationService newBot(ReservationStore store, Cluster cluster) {
        ReservationService service = new ReservationService(new Engine(CATALOG, Limits.defaults()), new RequestValidator(CATALOG, Limits.defaults()),
                store, cluster, new FakeIdentity(),
                deliveries.notifier(points, () -> bot), clock, new Random(restarts));
        idle = new IdleChecks(service, gpus, IDLE, store, user -> Set.of());
        return service;
    }

    public void restart() {
        restarts++;
        boot();
    }

    /** Runs one step; if the bot dies in it, restarts the bot and delivers the step again, as Slack and the timer would. */
    public void perform(CrashScripts.Step step) {
        try {
            step.action().accept(this);
        } catch (Crash c) {
            crash = c.getMessage() + " in step '" + step + "'";
            restart();
            step.action().accept(this);
        }
    }

    public ReservationService bot() {
        return bot;
    }

    /** Every starting server becomes ready and the bot hears of it. */
    public abstract void settle();

    public List<Reservation> all() {
        return durable.byIdPrefix("", Integer.MAX_VALUE);
    }

    /**
     * The id of the reservation a request made, found by the name the script gave it (the user has it from the bot's
     * message); for a request that was refused, an id that matches nothing.
     */
    public String idOf(String key) {
        return all().stream().filter(r -> key.equals(r.options().name())).findFirst().map(r -> r.id().value()).orElse("x0-0000");
    }
}
