package dev.gpudev.scheduler.port;

import java.util.Set;

import dev.gpudev.scheduler.model.ReservationId;

/**
 * A leadership term as {@link ReservationStore#lead} took it: its number, and the reservations the ledger listed as
 * holding GPUs when it was taken (the last leader's bookings, some of whose reservation writes may not have landed).
 */
public record LeaderTerm(long value, Set<ReservationId> booked) {
    public LeaderTerm {
        if (value < 1) {
            throw new IllegalArgumentException("a term counts from 1");
        }
        booked = Set.copyOf(booked);
    }
}
