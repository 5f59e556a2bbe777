package dev.gpudev.scheduler.engine;

import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;

/** What the shell must do after persisting a decision's changed reservations. */
public sealed interface Effect {
    record Provision(Reservation reservation) implements Effect {
    }

    record Release(Reservation reservation) implements Effect {
    }

    record Notify(Notice notice) implements Effect {
    }

    /** A request the engine turned down (an extension that would delay the queue): the reason for the asker. */
    record Refused(ReservationId id, String reason) implements Effect {
    }
}
