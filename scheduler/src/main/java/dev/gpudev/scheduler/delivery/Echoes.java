package dev.gpudev.scheduler.delivery;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.gpudev.scheduler.model.Notice;

/**
 * Reminders echoed into the server's terminal ({@code wall}): a reminder issued again for the chat's sake (see {@link
 * InFlight}) is echoed once. Forgets a reservation when it ends.
 */
public final class Echoes {
    private final Set<String> echoed = ConcurrentHashMap.newKeySet();

    /** Whether {@code notice} is a reminder not echoed yet (and now counted as echoed). */
    public boolean first(Notice notice) {
        if (notice instanceof Notice.Ended) {
            echoed.removeIf(k -> k.startsWith(notice.reservation().id() + " "));
            return false;
        }
        return notice instanceof Notice.Reminder r && echoed.add(r.reservation().id() + " " + r.reservation().endsAt() + " "
                + r.reservation().latestReminder().orElse(null));
    }
}
