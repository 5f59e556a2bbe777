package dev.gpudev.scheduler.service;

import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.app.ActionOutcome;
import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.app.Lookup;
import dev.gpudev.scheduler.engine.Effect;
import dev.gpudev.scheduler.engine.Event;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.port.StoreUnavailableException;

/**
 * An action on one reservation (cancel, extend): resolved, checked against its owner ({@link Actor#mayActOn}), claimed
 * once per delivery, and committed under the service's lock, so a second click or delivery waits for the first and
 * then sees its effect.
 */
final class Actions {
    private final ReservationService service;
    private final Lookups lookups;
    private final Claims claims;
    private final ReservationStore store;
    private final EffectRunner runner;

    Actions(ReservationService service, Lookups lookups, Claims claims, ReservationStore store, EffectRunner runner) {
        this.service = service;
        this.lookups = lookups;
        this.claims = claims;
        this.store = store;
        this.runner = runner;
    }

    /**
     * @param mark    what the first delivery records with its key, read before the change
     * @param applied whether the change of a first delivery with that mark is visible in the reservation now
     * @param outdated why the action no longer applies to the reservation as it is now (answered as done, nothing changes)
     */
    ActionOutcome act(UserId actor, String idOrPrefix, boolean admin, Claims.Action action, @Nullable String key,
                              Function<Reservation, Event> event,
                              Function<Reservation, String> message,
                              Function<Reservation, String> mark,
                              BiPredicate<String, Reservation> applied,
                              Function<Reservation, Optional<String>> outdated) {
        Actor who = new Actor(actor, admin);
        Lookup lookup = lookups.find(actor, idOrPrefix, admin);
        if (lookup instanceof Lookup.NotFound && lookups.exactly(idOrPrefix).filter(r -> !who.mayActOn(r)).isPresent()) {
            return new ActionOutcome.Refused("Reservation " + idOrPrefix.strip() + " is not yours.");
        }
        if (!(lookup instanceof Lookup.Found(Reservation listed))) {
            return new ActionOutcome.Refused(lookup instanceof Lookup.NotFound(String why) ? why
                    : "`" + idOrPrefix + "` matches several reservations; give more of the id.");
        }
        if (!who.mayActOn(listed)) {
            return new ActionOutcome.Refused("Reservation " + listed.id() + " is not yours.");
        }
        Reservation found;
        Commit.Result result;
        try {
            // Claim, check and apply under one lock: a second click or delivery waits for the first and then sees its effect.
            synchronized (service) {
                // Index reads may lag; the mark must be taken from the reservation as it is.
                found = store.find(listed.id()).orElse(listed);
                if (key != null) {
                    Optional<String> first = claims.action(action, key, found.id(), mark.apply(found));
                    if (first.isPresent() && applied.test(first.get(), found)) {
                        return new ActionOutcome.Done(found, message.apply(found));
                    }
                }
                if (!found.live()) {
                    return new ActionOutcome.Refused("Reservation " + found.id() + " has already ended (" + found.detail() + ").");
                }
                Optional<String> stale = outdated.apply(found);
                if (stale.isPresent()) {
                    return new ActionOutcome.Done(found, stale.get());
                }
                result = service.applyAndRetry(event.apply(found));
            }
        } catch (StoreUnavailableException e) {
            return new ActionOutcome.Refused(ReservationService.STORE_DOWN);
        }
        runner.run(result.effects());
        switch (result.failure()) {
            case null -> {
            }
            case StoreUnavailableException e -> {
                Reservation written = result.landed().get(listed.id());
                return written == null ? new ActionOutcome.Refused(ReservationService.STORE_DOWN)
                        : new ActionOutcome.Done(written, message.apply(written) + ReservationService.STORE_SLOW);
            }
            case RuntimeException e -> {
                return new ActionOutcome.Refused(ReservationService.RACE);
            }
        }
        for (Effect e : result.effects()) {
            if (e instanceof Effect.Refused(ReservationId id, String reason) && id.equals(found.id())) {
                return new ActionOutcome.Refused("Cannot do that for " + found.id() + ": " + reason + ".");
            }
        }
        Reservation before = found;
        Reservation now = service.state().find(found.id()).or(() -> store.find(before.id())).orElse(found);
        return new ActionOutcome.Done(now, message.apply(now));
    }
}
