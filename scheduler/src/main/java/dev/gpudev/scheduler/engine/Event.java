package dev.gpudev.scheduler.engine;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.idle.Activity;
import dev.gpudev.scheduler.idle.IdleRule;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ServerAccess;

/** What can happen. Authorization is checked before an event reaches the engine. */
public sealed interface Event {
    /** A validated request, already persisted as QUEUED. */
    record Submitted(Reservation reservation) implements Event {
    }

    record CancelRequested(ReservationId id, String why) implements Event {
    }

    /** @param force an admin's extension that may delay queued requests */
    record ExtendRequested(ReservationId id, Duration by, boolean force) implements Event {
    }

    /**
     * The owner (or an admin) changed what a live reservation asks for beyond its shape: collaborators, Jupyter.
     *
     * @param access how the running server is reached after the change (Jupyter turned on or off); null: unchanged
     */
    record OptionsChanged(ReservationId id, RequestOptions options, @Nullable ServerAccess access) implements Event {
        public OptionsChanged(ReservationId id, RequestOptions options) {
            this(id, options, null);
        }
    }

    record ServerReady(ReservationId id, ServerAccess access) implements Event {
    }

    record ServerFailed(ReservationId id, String reason) implements Event {
    }

    record ServerProgress(ReservationId id, String text) implements Event {
    }

    record ServerVanished(ReservationId id, String reason) implements Event {
    }

    record ClusterChanged(ClusterSnapshot snapshot) implements Event {
    }

    record Drain(NodeName node, boolean drained) implements Event {
    }

    /**
     * The front-end showed the owner {@code notice} ({@code chatRef}: the message it updates in place, if any): the
     * engine records it in the reservation (see {@code delivery.Ledger}), so nothing else writes reservations.
     */
    record Delivered(Notice notice, @Nullable String chatRef) implements Event {
    }

    /** The idle poll read an ACTIVE reservation's activity (see {@code idle.IdleMarks}): ask, withdraw or reclaim. */
    record IdleChecked(ReservationId id, IdleRule rule, boolean exempt, Activity activity) implements Event {
    }

    /** The owner pressed Keep on the idle question (ownership checked before). */
    record IdleKept(ReservationId id, IdleRule rule) implements Event {
    }

    /** The owner of a started booking showed up (see docs/scheduler.md, "Advance booking"): it is not released as unused. */
    record BookingUsed(ReservationId id) implements Event {
    }

    /** Time passed: reminders, expiry, queue and provisioning timeouts. */
    record Tick() implements Event {
    }
}
