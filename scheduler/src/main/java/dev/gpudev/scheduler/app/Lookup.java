package dev.gpudev.scheduler.app;

import java.util.List;

import dev.gpudev.scheduler.model.Reservation;

/** A reservation found by id prefix, or why none was. */
public sealed interface Lookup {
    record Found(Reservation reservation) implements Lookup {
    }

    record NotFound(String reason) implements Lookup {
    }

    /** Several match: the caller offers a choice. */
    record Ambiguous(List<Reservation> candidates) implements Lookup {
        public Ambiguous {
            candidates = List.copyOf(candidates);
        }
    }
}
