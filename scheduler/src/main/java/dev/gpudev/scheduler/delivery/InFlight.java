package dev.gpudev.scheduler.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;

/**
 * The Ready messages and latest reminders handed to the front-end and neither confirmed nor given up: not issued again
 * meanwhile. Everything else the owner was not shown is issued again by {@link #reissue}.
 */
public final class InFlight {
    private final Reminders reminders;
    private final Map<String, Notice> notices = new HashMap<>();

    public InFlight(Reminders reminders) {
        this.reminders = reminders;
    }

    public synchronized void track(Notice n) {
        String key = key(n);
        if (key != null) {
            notices.put(key, n);
        }
    }

    /** Confirmed or given up: a later {@link #reissue} may issue it again if it is still owed. */
    public synchronized void settled(Notice n) {
        String key = key(n);
        if (key != null) {
            notices.remove(key, n);
        }
    }

    /**
     * What the owners of {@code active} reservations are owed and is not on its way, now tracked as on its way.
     *
     * @param live the ids of live reservations: what is tracked for any other is forgotten
     */
    public synchronized List<Notice> reissue(Collection<Reservation> active, Set<ReservationId> live, Instant now) {
        notices.values().removeIf(n -> !live.contains(n.reservation().id()));
        List<Notice> again = new ArrayList<>();
        for (Reservation r : active) {
            for (Notice n : Ledger.undelivered(r, now, reminders)) {
                if (notices.putIfAbsent(key(n), n) == null) {
                    again.add(n);
                }
            }
        }
        return again;
    }

    /** Notices tracked until confirmed: the Ready message and the latest reminder of a reservation; null for the rest. */
    private static @Nullable String key(Notice n) {
        return switch (n) {
            case Notice.Ready r -> r.reservation().id() + "/ready";
            case Notice.Reminder r -> r.reservation().id() + "/reminder";
            default -> null;
        };
    }
}
