package dev.gpudev.scheduler.service;

import java.util.random.RandomGenerator;

import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.port.StoreConflictException;

/** New reservation ids: random, short, and used by no reservation in memory or in the store. */
final class ReservationIds {
    private final RandomGenerator random;
    private final ReservationStore store;

    ReservationIds(RandomGenerator random, ReservationStore store) {
        this.random = random;
        this.store = store;
    }

    ReservationId next(String gpuType, SchedulerState state) {
        for (int i = 0; i < 50; i++) {
            ReservationId id = i < 25 ? ReservationId.of(gpuType, random.nextLong())
                    : new ReservationId(gpuType + "-" + String.format("%06x", random.nextInt(1 << 24)));
            if (state.find(id).isEmpty() && store.find(id).isEmpty()) {
                return id;
            }
        }
        throw new StoreConflictException("no free reservation id for " + gpuType);
    }
}
