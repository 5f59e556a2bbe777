package dev.gpudev.scheduler.app;

import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.UserId;

/**
 * Who asks, resolved once per request by the front-end (admins are configured per platform).
 *
 * @param admin may act on anyone's reservation, drain nodes and extend past queued requests
 */
public record Actor(UserId user, boolean admin) {
    public static Actor user(UserId user) {
        return new Actor(user, false);
    }

    public static Actor admin(UserId user) {
        return new Actor(user, true);
    }

    /** The one ownership rule: the owner, or an admin. */
    public boolean mayActOn(Reservation r) {
        return admin || owns(r);
    }

    public boolean owns(Reservation r) {
        return r.owner().equals(user);
    }
}
