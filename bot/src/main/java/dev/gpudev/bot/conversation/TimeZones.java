package dev.gpudev.bot.conversation;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.gpudev.scheduler.model.UserId;

/**
 * Each user's time zone, for reading a booking's start and answering in it. The front-end fills it (Slack: the
 * {@code tz} of {@code users.info}); a zone it cannot tell, or a failed look-up, is UTC. Looked up once an hour at most.
 */
public final class TimeZones {
    public static final TimeZones UTC = new TimeZones(user -> Optional.empty());
    private final Function<UserId, Optional<ZoneId>> lookup;
    private final Cache<UserId, ZoneId> zones = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1)).maximumSize(10_000).build();

    public TimeZones(Function<UserId, Optional<ZoneId>> lookup) {
        this.lookup = lookup;
    }

    public ZoneId of(UserId user) {
        return zones.get(user, u -> {
            try {
                return lookup.apply(u).orElse(ZoneOffset.UTC);
            } catch (RuntimeException e) {
                return ZoneOffset.UTC;
            }
        });
    }
}
