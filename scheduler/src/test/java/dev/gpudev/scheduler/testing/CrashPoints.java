package dev.gpudev.scheduler.testing;

import java.util.function.Supplier;

/**
 * Counts the points at which the process could die (before and after every store, cluster and notifier call) and
 * throws a {@link Crash} at the chosen one. A crash "after" means the call took effect but its caller never learnt.
 */
public final class CrashPoints {
    private final long crashAt;
    private long passed;

    /** @param crashAt the point to die at, counting from 1; 0 never crashes (the counting run) */
    public CrashPoints(long crashAt) {
        this.crashAt = crashAt;
    }

    public synchronized long passed() {
        return passed;
    }

    public <T> T around(String what, Supplier<T> call) {
        point("before " + what);
        T result = call.get();
        point("after " + what);
        return result;
    }

    public void around(String what, Runnable call) {
        around(what, () -> {
            call.run();
            return true;
        });
    }

    private synchronized void point(String where) {
        passed++;
        if (passed == crashAt) {
            throw new Crash(where + " (point " + passed + ")");
        }
    }
}
