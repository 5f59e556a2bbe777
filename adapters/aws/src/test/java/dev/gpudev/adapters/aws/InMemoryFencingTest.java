package dev.gpudev.adapters.aws;

import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.port.ReservationStore;

class InMemoryFencingTest extends FencingContract {
    @Override
    ReservationStore newStore() {
        return new InMemoryReservationStore();
    }

    @Override
    ReservationStore other() {
        return store;
    }
}
