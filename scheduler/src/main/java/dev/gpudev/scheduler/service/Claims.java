package dev.gpudev.scheduler.service;

import java.util.Optional;

import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.ReservationStore;

/**
 * Idempotency claims: the store records a delivery's trigger once, with what the first delivery was about to do, so a
 * duplicate takes effect once and a retry of a delivery that crashed before its write still takes effect. The keys
 * and values keep the format the store already holds ({@code reserve:<trigger>} → id, {@code cancel:|extend:<trigger>}
 * → {@code id@mark}).
 */
final class Claims {
    /** The actions on one reservation whose deliveries are claimed. */
    enum Action {
        CANCEL("cancel:"), EXTEND("extend:"), KEEP("keep:");

        private final String prefix;

        Action(String prefix) {
            this.prefix = prefix;
        }
    }

    private final ReservationStore store;

    Claims(ReservationStore store) {
        this.store = store;
    }

    /** Claims a reserve request's trigger for {@code proposed}: empty the first time, else the id the first delivery chose. */
    Optional<ReservationId> reserve(String trigger, ReservationId proposed) {
        return store.claim("reserve:" + trigger, proposed.value()).map(ReservationId::new);
    }

    /**
     * Claims an action's trigger with {@code mark} (what the reservation looked like before it): empty the first time
     * (or when the first claimed it for another reservation), else the mark the first delivery recorded.
     */
    Optional<String> action(Action action, String trigger, ReservationId id, String mark) {
        String head = id.value() + "@";
        return store.claim(action.prefix + trigger, head + mark).filter(first -> first.startsWith(head))
                .map(first -> first.substring(head.length()));
    }

    /** A front-end's own claim (admin commands, links): empty the first time, else what the first recorded. */
    Optional<String> raw(String key, String value) {
        return store.claim(key, value);
    }
}
