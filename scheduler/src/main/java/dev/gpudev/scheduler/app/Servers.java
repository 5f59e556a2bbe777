package dev.gpudev.scheduler.app;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.ServerLog;
import dev.gpudev.scheduler.service.ReservationService;

/**
 * The use cases about a running server rather than its reservation's life: its log, the SSH config of all of an
 * actor's servers, and changing its collaborators. Ownership is {@link Actor#mayActOn}, as everywhere.
 */
public final class Servers {
    private final ReservationService service;

    Servers(ReservationService service) {
        this.service = service;
    }

    /** A server's log as the cluster has it, or why it cannot be shown. */
    public sealed interface LogAnswer {
        record Shown(Reservation reservation, ServerLog log) implements LogAnswer {
        }

        record Refused(String reason) implements LogAnswer {
        }
    }

    /** One live server in an SSH config: rank 0, and the host names rank 0 reaches the other ranks by. */
    public record Server(Reservation reservation, List<String> rankHosts) {
        public Server {
            rankHosts = List.copyOf(rankHosts);
        }
    }

    /** The last {@code lines} lines of the server's log and its start-up events (blocking: reads the cluster). */
    public LogAnswer logs(Actor actor, String idOrName, int lines) {
        return switch (service.find(actor.user(), idOrName, actor.admin())) {
            case Lookup.NotFound(String why) -> new LogAnswer.Refused(why);
            case Lookup.Ambiguous(List<Reservation> several) -> new LogAnswer.Refused("`" + idOrName + "` matches "
                    + String.join(", ", several.stream().map(r -> "`" + r.id() + "`").toList()) + "; give more of the id.");
            case Lookup.Found(Reservation r) when !actor.mayActOn(r) -> new LogAnswer.Refused("Reservation " + r.id() + " is not yours.");
            case Lookup.Found(Reservation r) when !r.state().holdsGpus() -> new LogAnswer.Refused(r.state() == ReservationState.QUEUED
                    ? r.id() + " is still queued: it has no server yet, so no log."
                    : r.id() + " has ended and its server with it, so its log is gone."
                    + (r.endReason() != null && !r.detail().isBlank() ? " `/gpu show " + r.id() + "` says why it ended." : ""));
            case Lookup.Found(Reservation r) -> new LogAnswer.Shown(r, service.cluster().logs(r, lines));
        };
    }

    /** The actor's ready servers, oldest first (an SSH config lists only those that have an address). */
    public List<Server> ready(Actor actor) {
        return service.state().live().values().stream()
                .filter(r -> actor.owns(r) && r.state() == ReservationState.ACTIVE && r.access() != null)
                .sorted(Comparator.comparing(Reservation::requestedAt))
                .map(r -> new Server(r, r.nodes().size() > 1 ? service.cluster().rankHosts(r) : List.of()))
                .toList();
    }

    /** Adds or removes collaborators (see {@code service.Edits}). */
    public ActionOutcome edit(Actor actor, Command.Edit edit) {
        return service.edit(actor.user(), actor.admin(), edit);
    }

    /** The actor's live reservations that are not ready yet (told apart in the SSH-config answer). */
    public long notReady(Actor actor) {
        return service.state().live().values().stream().filter(r -> actor.owns(r) && r.state() != ReservationState.ACTIVE).count();
    }

    /**
     * The latest {@code limit} reservations of {@code whose}, live first then ended, newest first: the actor's own, or
     * anyone's for an admin; empty when the actor may not see them.
     */
    public Optional<List<Reservation>> history(Actor actor, UserId whose, int limit) {
        return actor.admin() || actor.user().equals(whose) ? Optional.of(service.history(whose, limit)) : Optional.empty();
    }
}
