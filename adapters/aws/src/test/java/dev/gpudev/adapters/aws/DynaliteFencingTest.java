package dev.gpudev.adapters.aws;

import java.time.Clock;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import dev.gpudev.scheduler.port.ReservationStore;

/** The fencing contract on dynalite: single-item conditional writes only, as the design requires (no transactions). */
class DynaliteFencingTest extends FencingContract {
    private DynamoSettings settings;
    private ReservationStore other;

    @Override
    ReservationStore newStore() {
        settings = Dynalite.freshSettings();
        DynamoDbClient client = Dynalite.client(settings);
        DynamoTables.create(client, settings);
        other = new DynamoReservationStore(Dynalite.client(settings), settings, Clock.systemUTC());
        return new DynamoReservationStore(client, settings, Clock.systemUTC());
    }

    @Override
    ReservationStore other() {
        return other;
    }
}
