package dev.gpudev.scheduler.model;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A standing "tell me when it's free": DM {@code user} when one node can hold {@code gpus} × {@code gpuType} for
 * {@code duration} at once. Pending until it fires or {@code expiresAt}; once fired, its Reserve button works until
 * {@code expiresAt} (renewed at the firing), and {@code delivered} says whether the DM was confirmed sent.
 *
 * @param version the stored version (0 before the first write); every write is conditional on it
 */
public record Subscription(String id, UserId user, String gpuType, int gpus, Duration duration, Instant createdAt,
                           Instant expiresAt, @Nullable Instant firedAt, boolean delivered, long version) {
    public Subscription {
        if (!id.matches("n-[0-9a-f]{8}")) {
            throw new IllegalArgumentException("not a subscription id: '" + id + "'");
        }
        if (gpus < 1 || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a subscription needs GPUs and a duration: " + gpus + ", " + duration);
        }
    }

    public static Subscription pending(String id, UserId user, String gpuType, int gpus, Duration duration, Instant now, Duration ttl) {
        return new Subscription(id, user, gpuType, gpus, duration, now, now.plus(ttl), null, false, 0);
    }

    public boolean pending() {
        return firedAt == null;
    }

    /** Time left until {@code expiresAt} from {@code from} (none when past; {@code from} null: none). */
    public Duration ttlLeft(@Nullable Instant from) {
        return from == null || !from.isBefore(expiresAt) ? Duration.ZERO : Duration.between(from, expiresAt);
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Fired at {@code now}: the offer (its button) holds for {@code ttl} from here. */
    public Subscription fired(Instant now, Duration ttl) {
        return new Subscription(id, user, gpuType, gpus, duration, createdAt, now.plus(ttl), now, false, version);
    }

    public Subscription withDelivered() {
        return new Subscription(id, user, gpuType, gpus, duration, createdAt, expiresAt, firedAt, true, version);
    }

    /** The same wish asked again: the newer duration, and a fresh day. */
    public Subscription renewed(Duration newDuration, Instant now, Duration ttl) {
        return new Subscription(id, user, gpuType, gpus, newDuration, createdAt, now.plus(ttl), firedAt, delivered, version);
    }

    public Subscription withVersion(long v) {
        return new Subscription(id, user, gpuType, gpus, duration, createdAt, expiresAt, firedAt, delivered, v);
    }
}
