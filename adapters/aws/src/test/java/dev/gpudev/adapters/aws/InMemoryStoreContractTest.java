package dev.gpudev.adapters.aws;

import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.port.ReservationStore;

class InMemoryStoreContractTest extends ReservationStoreContract {
    @Override
    ReservationStore newStore() {
        return new InMemoryReservationStore();
    }
}
