package dev.gpudev.scheduler.engine;

import java.util.function.Predicate;

import dev.gpudev.scheduler.model.Reservation;

/**
 * Which queued requests the scheduling pass after an event may start; the others keep their position and ETA. The bot
 * starts any request that fits ({@link #ANY}); the trace replay's model of an older system starts some only on a scan.
 */
@FunctionalInterface
public interface StartRule {
    StartRule ANY = event -> r -> true;

    Predicate<Reservation> after(Event event);
}
