package dev.gpudev.scheduler.idle;

import java.util.Set;

import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.UserId;

/** Who the idle policy never asks or reclaims from: users, teams (by the names the identity side gives), reservations. */
public record Exemptions(Set<UserId> users, Set<String> teams, Set<ReservationId> reservations) {
    public static final Exemptions NONE = new Exemptions(Set.of(), Set.of(), Set.of());

    public Exemptions {
        users = Set.copyOf(users);
        teams = Set.copyOf(teams);
        reservations = Set.copyOf(reservations);
    }

    public boolean exempt(ReservationId reservation, UserId owner, Set<String> ownerTeams) {
        return reservations.contains(reservation) || users.contains(owner) || ownerTeams.stream().anyMatch(teams::contains);
    }
}
