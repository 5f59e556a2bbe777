package dev.gpudev.scheduler.port;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.model.SshPublicKey;
import dev.gpudev.scheduler.policy.ImagePolicy;

/**
 * The GPU nodes and the servers on them. Provisioning is asynchronous: the outcome arrives through the
 * {@link ClusterListener}. Both operations are idempotent, so a retry after a crash creates nothing twice.
 */
public interface Cluster {
    /** The GPU nodes now; GPUs used by pods that are not this bot's servers are counted per node. */
    ClusterSnapshot snapshot();

    /**
     * Starts (or finds already started) the server of a PROVISIONING reservation on its nodes.
     *
     * @throws ProvisionException when it could not: {@link ProvisionException.Transient} is tried again later,
     *                            {@link ProvisionException.Permanent} fails the reservation with its reason
     */
    void provision(ServerSpec spec);

    /** Deletes the server of a reservation (never the user's home volume); nothing to delete is fine. */
    void release(Reservation reservation);

    /**
     * The reservations whose servers exist now (starting, running or being deleted). After a restart the service
     * releases those whose reservation has ended: a crash between the store write and the release left them behind.
     * The default knows of none, so nothing is reconciled.
     */
    default Set<ReservationId> servers() {
        return Set.of();
    }

    /** Best effort: shows a message inside the running server (a reminder), never blocking or failing the caller. */
    default void tell(Reservation reservation, String message) {
    }

    /** Whether a server can run Jupyter too; requests for it are refused when it cannot. */
    default boolean offersJupyter() {
        return true;
    }

    /** The images a request may name; requests naming another are refused. The default: none but the cluster's own. */
    default ImagePolicy images() {
        return ImagePolicy.DEFAULT_ONLY;
    }

    /**
     * The server's start-up events and the last {@code lines} lines of its log (rank 0), read now. Blocking; bounded
     * by the implementation's timeouts. The default keeps no logs.
     */
    default ServerLog logs(Reservation reservation, int lines) {
        return ServerLog.unavailable("this cluster keeps no server logs");
    }

    /**
     * The host names by which rank 0 of a multi-node server reaches ranks 1, 2, … (the SSH config jumps through rank 0
     * to them); empty for one node.
     */
    default List<String> rankHosts(Reservation reservation) {
        return List.of();
    }

    /**
     * Replaces the SSH keys that open a live server (every rank), without restarting it.
     *
     * @throws ProvisionException when the cluster did not take them; nothing is half-applied on a rank that answered
     */
    default void updateKeys(Reservation reservation, List<SshPublicKey> keys) {
        throw ProvisionException.permanent("this cluster cannot change the keys of a running server", null);
    }

    /**
     * Starts or stops Jupyter in a live server, every rank left running; repeating it changes nothing more.
     *
     * @return how the owner reaches the server now: with the Jupyter URL (and its token) when on, without when off
     * @throws ProvisionException when the cluster did not take the change
     */
    default ServerAccess switchJupyter(Reservation reservation, boolean on) {
        throw ProvisionException.permanent("this cluster cannot start or stop Jupyter on a running server", null);
    }

    /** The users' disks on this cluster (homes, named disks, snapshots); empty: the servers have none. */
    default Optional<Volumes> storage() {
        return Optional.empty();
    }

    /** Registers the one listener that hears about readiness, failures, progress and node changes. */
    void listen(ClusterListener listener);
}
