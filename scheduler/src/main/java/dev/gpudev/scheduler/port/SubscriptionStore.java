package dev.gpudev.scheduler.port;

import java.util.List;

import dev.gpudev.scheduler.model.Subscription;

/**
 * Durable notify subscriptions ({@code /gpu notify}). Writes are conditional like the reservations':
 * {@link #create} fails with {@link StoreConflictException} if the id exists, {@link #update} unless the stored
 * version equals the given one; {@link StoreUnavailableException} when the backing service keeps failing.
 */
public interface SubscriptionStore {
    /** Every stored subscription, pending or fired; read once when a replica starts to lead. */
    List<Subscription> all();

    /** Returns it with version 1. */
    Subscription create(Subscription subscription);

    /** Returns it with the version raised by one. */
    Subscription update(Subscription subscription);

    /** Removes it whatever its version; removing one that is gone is no error. */
    void delete(String id);
}
