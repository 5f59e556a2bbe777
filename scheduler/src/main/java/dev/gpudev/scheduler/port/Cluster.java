package dev.gpudev.scheduler.port;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.Reservation;

/**
 * The GPU nodes and the servers on them. Provisioning is asynchronous: the outcome arrives through the
 * {@link ClusterListener}. Both operations are idempotent, so a retry after a crash creates nothing twice.
 */
public interface Cluster {
    /** The GPU nodes now; GPUs used by pods that are not this bot's servers are counted per node. */
    ClusterSnapshot snapshot();

    /** Starts (or finds already started) the server of a PROVISIONING reservation on its nodes. */
    void provision(ServerSpec spec);

    /** Deletes the server of a reservation (never the user's home volume); nothing to delete is fine. */
    void release(Reservation reservation);

    /** Best effort: shows a message inside the running server (a reminder), never blocking or failing the caller. */
    default void tell(Reservation reservation, String message) {
    }

    /** Registers the one listener that hears about readiness, failures, progress and node changes. */
    void listen(ClusterListener listener);
}
