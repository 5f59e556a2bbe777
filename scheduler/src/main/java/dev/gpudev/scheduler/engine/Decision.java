package dev.gpudev.scheduler.engine;

import java.util.List;

import dev.gpudev.scheduler.model.Reservation;

/**
 * The engine's answer to one event.
 *
 * @param changed reservations to persist, in order, before any effect runs
 */
public record Decision(SchedulerState state, List<Reservation> changed, List<Effect> effects) {
    public Decision {
        changed = List.copyOf(changed);
        effects = List.copyOf(effects);
    }
}
