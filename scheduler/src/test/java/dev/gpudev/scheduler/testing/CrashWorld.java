package dev.gpudev.scheduler.testing;

import java.util.List;

import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.service.ReservationService;

/**
 * What a crash script acts on: the bot that may die and be restarted, and what survives it (the store, the clock, the
 * answers and messages users got). Each crash test's world adds its own cluster.
 */
public interface CrashWorld {
    ReservationService bot();

    ReservationStore durable();

    MutableClock clock();

    /** What each request and action was answered, in script order. */
    List<Object> answers();

    Deliveries deliveries();

    /** Every starting server becomes ready and the bot hears of it. */
    void settle();

    default List<Reservation> all() {
        return durable().byIdPrefix("");
    }

    /**
     * The id of the reservation a request made, found by the name the script gave it (the user has it from the bot's
     * message); for a request that was refused, an id that matches nothing.
     */
    default String idOf(String key) {
        return all().stream().filter(r -> key.equals(r.options().name())).findFirst().map(r -> r.id().value()).orElse("x0-0000");
    }
}
