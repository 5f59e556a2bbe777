package dev.gpudev.scheduler.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

import dev.gpudev.scheduler.model.ReservationId;

/**
 * Reservations whose last provisioning attempt failed for a transient reason: when to try again and why it failed.
 * Kept in memory only: after a restart every PROVISIONING reservation is provisioned again anyway.
 */
final class ProvisionRetries {
    static final Duration FIRST = Duration.ofSeconds(2);
    static final Duration MAX = Duration.ofMinutes(1);

    record Pending(int attempts, Instant next, String reason) {
    }

    private final Map<ReservationId, Pending> pending = new ConcurrentHashMap<>();
    /** Retries handed to the effect pool and not yet done: not due again until they fail or succeed. */
    private final Set<ReservationId> attempting = ConcurrentHashMap.newKeySet();
    private final RandomGenerator random;

    ProvisionRetries(RandomGenerator random) {
        this.random = random;
    }

    /** Records a failed attempt; the next one is due after an exponential backoff with jitter. */
    Pending failed(ReservationId id, String reason, Instant now) {
        attempting.remove(id);
        return pending.compute(id, (k, old) -> {
            int attempts = old == null ? 1 : old.attempts() + 1;
            return new Pending(attempts, now.plus(delay(attempts, random)), reason);
        });
    }

    /** Forgets the reservation; true if an attempt of it had failed. */
    boolean done(ReservationId id) {
        attempting.remove(id);
        return pending.remove(id) != null;
    }

    /** Marks a due retry as handed to the effect pool; false if it already was (a later tick must not hand it over again). */
    boolean attempt(ReservationId id) {
        return attempting.add(id);
    }

    boolean retrying(ReservationId id) {
        return pending.containsKey(id);
    }

    Map<ReservationId, Pending> pending() {
        return Map.copyOf(pending);
    }

    Optional<Instant> nextWakeup() {
        return pending.entrySet().stream().filter(e -> !attempting.contains(e.getKey())).map(e -> e.getValue().next())
                .min(Instant::compareTo);
    }

    /** Doubles from {@link #FIRST} up to {@link #MAX}; a random half of it, so that many retries do not come in step. */
    static Duration delay(int attempt, RandomGenerator random) {
        long cap = MAX.toMillis();
        long base = Math.min(cap, FIRST.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(base / 2 + random.nextLong(base / 2 + 1));
    }
}
