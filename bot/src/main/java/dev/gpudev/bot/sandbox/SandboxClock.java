package dev.gpudev.bot.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Wall-clock time sped up by {@code scale} from the moment it was made, and moved forward by hand with {@link #advance}. */
public final class SandboxClock extends Clock {
    private final Clock base;
    private final double scale;
    private final Instant start;
    private volatile Duration offset = Duration.ZERO;
    private final List<Runnable> beforeAdvance = new CopyOnWriteArrayList<>();

    public SandboxClock(Clock base, double scale) {
        if (scale <= 0) {
            throw new IllegalArgumentException("sandbox.time-scale must be positive");
        }
        this.base = base;
        this.scale = scale;
        this.start = base.instant();
    }

    public void advance(Duration d) {
        beforeAdvance.forEach(Runnable::run);
        offset = offset.plus(d);
    }

    /** Runs {@code r} at each {@link #advance}, before time moves. */
    public void beforeAdvance(Runnable r) {
        beforeAdvance.add(r);
    }

    public double scale() {
        return scale;
    }

    @Override
    public Instant instant() {
        long elapsedNanos = Duration.between(start, base.instant()).toNanos();
        return start.plusNanos((long) (elapsedNanos * scale)).plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
