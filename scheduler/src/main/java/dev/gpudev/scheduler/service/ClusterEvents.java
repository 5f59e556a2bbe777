package dev.gpudev.scheduler.service;

import java.lang.System.Logger.Level;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.gpudev.scheduler.engine.Event;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.port.ClusterListener;

/**
 * What the cluster reports, as engine events. It is called on the cluster's threads (the informer's): the events are
 * committed there, quickly, and their effects run on the effect executor.
 */
final class ClusterEvents implements ClusterListener {
    private static final System.Logger LOG = System.getLogger(ClusterEvents.class.getName());
    private final Consumer<Event> commit;
    private final Supplier<SchedulerState> state;
    private final ProvisionRetries retries;

    ClusterEvents(Consumer<Event> commit, Supplier<SchedulerState> state, ProvisionRetries retries) {
        this.commit = commit;
        this.state = state;
        this.retries = retries;
    }

    @Override
    public void serverReady(ReservationId id, ServerAccess access) {
        commit.accept(new Event.ServerReady(id, access));
    }

    @Override
    public void serverFailed(ReservationId id, String reason) {
        commit.accept(new Event.ServerFailed(id, reason));
    }

    @Override
    public void serverProgress(ReservationId id, String text) {
        commit.accept(new Event.ServerProgress(id, text));
    }

    @Override
    public void serverVanished(ReservationId id, String reason) {
        if (retries.retrying(id) && state.get().find(id).filter(r -> r.state() == ReservationState.PROVISIONING).isPresent()) {
            // A reconcile finds no server for it because the last attempt failed; the next attempt creates it.
            LOG.log(Level.INFO, "the server of " + id + " is not there yet; provisioning is being retried");
            return;
        }
        commit.accept(new Event.ServerVanished(id, reason));
    }

    @Override
    public void nodesChanged(ClusterSnapshot snapshot) {
        commit.accept(new Event.ClusterChanged(snapshot));
    }
}
