package dev.gpudev.adapters.kubernetes.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.port.ClusterListener;

/** Records what the cluster reports, one line per call. */
public final class RecordingListener implements ClusterListener {
    public final List<String> calls = new CopyOnWriteArrayList<>();
    public final List<ClusterSnapshot> snapshots = new CopyOnWriteArrayList<>();

    @Override
    public void serverReady(ReservationId id, ServerAccess access) {
        calls.add("ready " + id + " " + access);
    }

    @Override
    public void serverFailed(ReservationId id, String reason) {
        calls.add("failed " + id + ": " + reason);
    }

    @Override
    public void serverProgress(ReservationId id, String text) {
        calls.add("progress " + id + ": " + text);
    }

    @Override
    public void serverVanished(ReservationId id, String reason) {
        calls.add("vanished " + id + ": " + reason);
    }

    @Override
    public void nodesChanged(ClusterSnapshot snapshot) {
        snapshots.add(snapshot);
    }

    public List<String> about(ReservationId id) {
        return calls.stream().filter(c -> c.contains(" " + id)).toList();
    }

    public ClusterSnapshot lastSnapshot() {
        return snapshots.isEmpty() ? ClusterSnapshot.EMPTY : snapshots.getLast();
    }
}
