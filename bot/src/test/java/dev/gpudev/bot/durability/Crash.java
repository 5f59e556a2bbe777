package dev.gpudev.bot.durability;

/** The process died here. An Error, so that no {@code catch (RuntimeException)} in the service can survive it. */
final class Crash extends Error {
    Crash(String where) {
        super("crash " + where, null, false, false);
    }
}
