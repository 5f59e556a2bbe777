package dev.gpudev.scheduler.testing;

/** The process died here. An Error, so that no {@code catch (RuntimeException)} in the service can survive it. */
public final class Crash extends Error {
    public Crash(String where) {
        super("crash " + where, null, false, false);
    }
}
