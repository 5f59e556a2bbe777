package dev.gpudev.adapters.aws;

import java.time.Clock;

import dev.gpudev.scheduler.port.ReservationStore;

/** The contract against dynalite: the real SDK, wire protocol and condition expressions, without transactions or TTL. */
class DynaliteStoreContractTest extends ReservationStoreContract {
    @Override
    ReservationStore newStore() {
        return Dynalite.freshStore(Clock.systemUTC());
    }
}
