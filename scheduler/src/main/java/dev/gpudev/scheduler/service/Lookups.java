package dev.gpudev.scheduler.service;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.app.Lookup;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.port.StoreUnavailableException;

/** Reads for the use cases: an id or prefix resolved, a user's history. Live reservations come from memory first. */
final class Lookups {
    /** At most this many reservations are read to resolve an id prefix: enough to offer a choice, never a whole partition. */
    static final int LIMIT = 20;

    private final ReservationStore store;
    private final Supplier<SchedulerState> state;

    Lookups(ReservationStore store, Supplier<SchedulerState> state) {
        this.store = store;
        this.state = state;
    }

    /**
     * Resolves a full id or a unique prefix among the actor's reservations, or everyone's when {@code everyone} (admins).
     * Reads at most {@link #LIMIT} reservations, so other people's ids never make the actor's own ambiguous.
     */
    Lookup find(UserId actor, @Nullable String idOrPrefix, boolean everyone) {
        if (idOrPrefix == null || idOrPrefix.isBlank()) {
            List<Reservation> mine = state.get().live().values().stream().filter(r -> r.owner().equals(actor)).toList();
            return switch (mine.size()) {
                case 0 -> new Lookup.NotFound("You have no live reservations.");
                case 1 -> new Lookup.Found(mine.getFirst());
                default -> new Lookup.Ambiguous(mine);
            };
        }
        String prefix = idOrPrefix.strip().toLowerCase(Locale.ROOT);
        Optional<Reservation> named = named(actor, prefix, everyone);
        if (named.isPresent()) {
            return new Lookup.Found(named.get());
        }
        // Live reservations first, from memory: a long history under the same prefix never hides the one that is live,
        // and the usual lookup (extend, cancel, show of a live server) reads nothing from the store.
        List<Reservation> live = state.get().live().values().stream()
                .filter(r -> (everyone || r.owner().equals(actor)) && r.id().value().startsWith(prefix))
                .sorted(Comparator.comparing((Reservation r) -> r.id().value())).limit(LIMIT).toList();
        if (!live.isEmpty()) {
            return live.stream().filter(r -> r.id().value().equals(prefix)).findFirst().<Lookup>map(Lookup.Found::new)
                    .orElse(live.size() == 1 ? new Lookup.Found(live.getFirst()) : new Lookup.Ambiguous(live));
        }
        List<Reservation> matches;
        try {
            matches = everyone ? store.byIdPrefix(prefix, LIMIT) : store.byOwnerIdPrefix(actor, prefix, LIMIT);
        } catch (StoreUnavailableException e) {
            matches = List.of();
        }
        List<Reservation> exact = matches.stream().filter(r -> r.id().value().equals(prefix)).toList();
        if (exact.size() == 1) {
            return new Lookup.Found(exact.getFirst());
        }
        List<Reservation> stored = matches.stream().filter(Reservation::live).toList();
        List<Reservation> pool = stored.isEmpty() ? matches : stored;
        return switch (pool.size()) {
            case 0 -> new Lookup.NotFound((everyone ? "No reservation `" : "You have no reservation `") + prefix + "`. `/gpu list` shows yours.");
            case 1 -> new Lookup.Found(pool.getFirst());
            default -> new Lookup.Ambiguous(pool);
        };
    }

    /**
     * The live reservation with this {@code --name}: the actor's own first (names are unique per owner among live
     * ones), then, for {@code everyone}, the only one of anyone's. A name wins over an id prefix that spells the same.
     */
    private Optional<Reservation> named(UserId actor, String name, boolean everyone) {
        List<Reservation> withName = state.get().live().values().stream()
                .filter(r -> r.options().name() != null && r.options().name().toLowerCase(Locale.ROOT).equals(name)).toList();
        Optional<Reservation> own = withName.stream().filter(r -> r.owner().equals(actor)).findFirst();
        return own.isPresent() || !everyone || withName.size() != 1 ? own : Optional.of(withName.getFirst());
    }

    /** The reservation with exactly this id, whoever owns it. */
    Optional<Reservation> exactly(String id) {
        String value = id.strip().toLowerCase(Locale.ROOT);
        try {
            ReservationId exact = new ReservationId(value);
            try {
                return store.find(exact);
            } catch (StoreUnavailableException e) {
                return state.get().find(exact);
            }
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }

    /** The user's live reservations and the latest ended ones. */
    List<Reservation> history(UserId user, int limit) {
        try {
            return store.byOwner(user, limit);
        } catch (StoreUnavailableException e) {
            return state.get().live().values().stream().filter(r -> r.owner().equals(user))
                    .sorted(Comparator.comparing(Reservation::requestedAt).reversed()).toList();
        }
    }
}
