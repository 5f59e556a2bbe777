package dev.gpudev.scheduler.port;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ServerAccess;

/** What the cluster reports, at once and without polling. Implementations must return quickly. */
public interface ClusterListener {
    /** A failure reason may end with the server's last log lines, after this line. */
    String LOG_LINES = "\nLast lines of its log:\n";

    void serverReady(ReservationId id, ServerAccess access);

    void serverFailed(ReservationId id, String reason);

    /** A step of provisioning a person would want to see: "pulling image", "ImagePullBackOff: ...". */
    void serverProgress(ReservationId id, String text);

    /** A server that should be running is gone (node lost, evicted, deleted by hand). */
    void serverVanished(ReservationId id, String reason);

    void nodesChanged(ClusterSnapshot snapshot);
}
