package dev.gpudev.adapters.github.api;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Remembers when GitHub said to stop (primary limit until {@code X-RateLimit-Reset}, secondary limit for
 * {@code Retry-After}) and refuses to send anything until then: hammering a limited API only extends the ban.
 */
final class RateLimitGate {
    private static final Duration SECONDARY_DEFAULT = Duration.ofMinutes(1);

    private final Clock clock;
    private volatile Instant closedUntil = Instant.MIN;
    private volatile long remaining = -1;

    RateLimitGate(Clock clock) {
        this.clock = clock;
    }

    void check() {
        Instant until = closedUntil;
        if (clock.instant().isBefore(until)) {
            throw new GithubUnavailableException("GitHub rate limit: not calling before " + until);
        }
    }

    /** Records the rate-limit headers; true when the response was a rate-limit refusal (403 or 429). */
    boolean observe(int status, HttpHeaders headers, String body) {
        OptionalLong left = number(headers, "x-ratelimit-remaining");
        left.ifPresent(l -> remaining = l);
        if (status != 403 && status != 429) {
            return false;
        }
        Instant now = clock.instant();
        OptionalLong retryAfter = number(headers, "retry-after");
        OptionalLong reset = number(headers, "x-ratelimit-reset");
        if (retryAfter.isPresent()) {
            closedUntil = now.plusSeconds(Math.max(1, retryAfter.getAsLong()));
        } else if (left.isPresent() && left.getAsLong() == 0 && reset.isPresent()) {
            closedUntil = Instant.ofEpochSecond(reset.getAsLong());
        } else if (status == 429 || body.toLowerCase(Locale.ROOT).contains("rate limit")) {
            closedUntil = now.plus(SECONDARY_DEFAULT);
        } else {
            return false;
        }
        return true;
    }

    Instant closedUntil() {
        return closedUntil;
    }

    /** The last {@code X-RateLimit-Remaining} seen, or -1 before the first answer. */
    long remaining() {
        return remaining;
    }

    private static OptionalLong number(HttpHeaders headers, String name) {
        try {
            return headers.firstValue(name).map(v -> OptionalLong.of(Long.parseLong(v.strip()))).orElse(OptionalLong.empty());
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
