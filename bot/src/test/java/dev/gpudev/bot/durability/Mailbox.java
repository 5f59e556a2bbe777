package dev.gpudev.bot.durability;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.port.ClusterListener;

/**
 * What the cluster reported to one incarnation of the bot and the bot has not heard yet. The adapter reports from its
 * own thread; queueing the reports and handing them over on the test's thread puts every crash point on that thread
 * and in a repeatable order. A crash loses the reports still queued, as a dying process would.
 */
final class Mailbox implements ClusterListener {
    private record Report(Optional<ReservationId> about, String what, Consumer<ClusterListener> deliver) {
    }

    private final LinkedBlockingQueue<Report> reports = new LinkedBlockingQueue<>();
    private volatile @Nullable ClusterListener target;

    void deliverTo(ClusterListener listener) {
        target = listener;
    }

    /** The reservations some queued report is about. */
    Set<ReservationId> reported() {
        return reports.stream().flatMap(r -> r.about().stream()).collect(Collectors.toSet());
    }

    List<String> pending() {
        return reports.stream().map(Report::what).toList();
    }

    /** Hands every queued report to the bot, in the order the cluster made them. */
    void deliver() {
        ClusterListener to = target;
        if (to == null) {
            throw new IllegalStateException("nobody listens to the cluster");
        }
        for (Report r = reports.poll(); r != null; r = reports.poll()) {
            r.deliver().accept(to);
        }
    }

    @Override
    public void serverReady(ReservationId id, ServerAccess access) {
        reports.add(new Report(Optional.of(id), "ready " + id, l -> l.serverReady(id, access)));
    }

    @Override
    public void serverFailed(ReservationId id, String reason) {
        reports.add(new Report(Optional.of(id), "failed " + id + ": " + reason, l -> l.serverFailed(id, reason)));
    }

    @Override
    public void serverProgress(ReservationId id, String text) {
        reports.add(new Report(Optional.empty(), "progress " + id + ": " + text, l -> l.serverProgress(id, text)));
    }

    @Override
    public void serverVanished(ReservationId id, String reason) {
        reports.add(new Report(Optional.of(id), "vanished " + id + ": " + reason, l -> l.serverVanished(id, reason)));
    }

    @Override
    public void nodesChanged(ClusterSnapshot snapshot) {
        reports.add(new Report(Optional.empty(), "nodes changed", l -> l.nodesChanged(snapshot)));
    }
}
