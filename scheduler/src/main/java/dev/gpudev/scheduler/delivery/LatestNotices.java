package dev.gpudev.scheduler.delivery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.ReservationId;

/**
 * For a front-end that updates one message per reservation: the newest notice for each, never one of an earlier state
 * (notices of two events may arrive out of order). A queue position or a starting step that a newer notice overtook (a
 * long queue moves often; a retry waits), or any notice of an earlier state, is dropped: the message never goes back.
 */
public final class LatestNotices {
    private final Map<ReservationId, Notice> newest = new ConcurrentHashMap<>();

    /** A notice was issued; reminders and idle questions are messages of their own and never overtake. */
    public void issued(Notice notice) {
        if (!notice.ownMessage()) {
            newest.merge(notice.reservation().id(), notice,
                    (old, now) -> now.reservation().state().compareTo(old.reservation().state()) >= 0 ? now : old);
        }
    }

    /** Whether a newer notice made this one pointless to deliver. */
    public boolean overtaken(Notice notice) {
        Notice latest = newest.get(notice.reservation().id());
        if (notice.ownMessage() || latest == null || latest == notice) {
            return false;
        }
        return notice instanceof Notice.Queued || notice instanceof Notice.Starting
                || latest.reservation().state().compareTo(notice.reservation().state()) > 0;
    }

    /** The reservation's message is done with (it ended): forget it. */
    public void forget(ReservationId id) {
        newest.remove(id);
    }

    /** Forgets {@code notice} if it is still the newest. */
    public void forget(Notice notice) {
        newest.remove(notice.reservation().id(), notice);
    }
}
