package dev.gpudev.scheduler.service;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.gpudev.scheduler.app.ActionOutcome;
import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.app.Lookup;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.engine.Event;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.AccessDecision;
import dev.gpudev.scheduler.port.Cluster;
import dev.gpudev.scheduler.port.Identity;
import dev.gpudev.scheduler.port.ProvisionException;

/**
 * {@code /gpu edit}: collaborators added or removed, Jupyter turned on or off, on a live reservation. Collaborators are
 * recorded through the engine first, then the keys of the recorded collaborators are pushed to the running server;
 * pushing again is harmless, so a push that failed is repaired by repeating the command (which records nothing new).
 * Jupyter is switched in the running server first and recorded with the server's new access after, so a server that
 * cannot switch records nothing; repeating it switches nothing more.
 */
final class Edits {
    private final Lookups lookups;
    private final Actions actions;
    private final Identity identity;
    private final Cluster cluster;
    private final EffectRunner runner;
    private final boolean jupyterAllowed;

    /** @param jupyterAllowed whether this cluster runs Jupyter at all (the validator's rule for {@code --jupyter}) */
    Edits(Lookups lookups, Actions actions, Identity identity, Cluster cluster, EffectRunner runner, boolean jupyterAllowed) {
        this.lookups = lookups;
        this.actions = actions;
        this.identity = identity;
        this.cluster = cluster;
        this.runner = runner;
        this.jupyterAllowed = jupyterAllowed;
    }

    ActionOutcome edit(UserId user, boolean admin, Command.Edit cmd) {
        if (Boolean.TRUE.equals(cmd.jupyter()) && !jupyterAllowed) {
            return new ActionOutcome.Refused("Jupyter is not enabled on this cluster, so it cannot be turned on. Nothing changed.");
        }
        List<GithubLogin> add = new ArrayList<>();
        List<GithubLogin> remove = new ArrayList<>();
        for (String s : cmd.addUsers()) {
            if (!GithubLogin.isValid(s)) {
                return new ActionOutcome.Refused("`" + s + "` is not a GitHub login (letters, digits and single hyphens, at most 39).");
            }
            add.add(new GithubLogin(s));
        }
        for (String s : cmd.removeUsers()) {
            if (!GithubLogin.isValid(s)) {
                return new ActionOutcome.Refused("`" + s + "` is not a GitHub login (letters, digits and single hyphens, at most 39).");
            }
            remove.add(new GithubLogin(s));
        }
        Actor who = new Actor(user, admin);
        Lookup lookup = lookups.find(user, cmd.id(), admin);
        if (lookup instanceof Lookup.Found(Reservation r)) {
            if (!who.mayActOn(r)) {
                return new ActionOutcome.Refused("Reservation " + r.id() + " is not yours.");
            }
            if (r.state() == ReservationState.PROVISIONING) {
                return new ActionOutcome.Refused(r.id() + " is starting; change it once it is ready (a minute or two).");
            }
            Optional<GithubLogin> unknown = remove.stream().filter(l -> !r.options().collaborators().contains(l)).findFirst();
            if (unknown.isPresent()) {
                return new ActionOutcome.Refused(unknown.get() + " is not a collaborator of " + r.id() + "; its collaborators: "
                        + (r.options().collaborators().isEmpty() ? "none" : String.join(", ", r.options().collaborators().stream().map(GithubLogin::value).toList())) + ".");
            }
        }
        ActionOutcome users = add.isEmpty() && remove.isEmpty() ? null : collaborators(user, admin, cmd.id(), add, remove);
        if (cmd.jupyter() == null) {
            return users;
        }
        if (users != null && !(users instanceof ActionOutcome.Done)) {
            return users;
        }
        ActionOutcome jupyter = jupyter(user, admin, cmd.id(), cmd.jupyter());
        if (users instanceof ActionOutcome.Done(Reservation r, String first)) {
            return switch (jupyter) {
                case ActionOutcome.Done(Reservation now, String second) -> new ActionOutcome.Done(now, first + " " + second);
                case ActionOutcome.Refused(String why) -> new ActionOutcome.Refused(first + " But: " + why);
                default -> jupyter;
            };
        }
        return jupyter;
    }

    private ActionOutcome collaborators(UserId user, boolean admin, String id, List<GithubLogin> add, List<GithubLogin> remove) {
        // The same check as at reserve: the GitHub policy admits each added login and it has keys.
        for (GithubLogin login : add) {
            switch (identity.authorizeLogin(login)) {
                case AccessDecision.Granted g -> {
                }
                case AccessDecision.Denied(String why) -> {
                    return new ActionOutcome.Refused("Cannot add " + login + ": " + why + " Nothing changed.");
                }
                case AccessDecision.Unavailable(String why) -> {
                    return new ActionOutcome.Refused("Cannot add " + login + " now: " + why + " Nothing changed; try again in a minute.");
                }
            }
        }
        // No delivery key: adding and removing are idempotent by themselves, a second delivery records nothing new.
        ActionOutcome recorded = actions.act(user, id, admin, Claims.Action.EXTEND, null,
                r -> new Event.OptionsChanged(r.id(), changed(r.options(), add, remove)),
                r -> describe(r, add, remove), r -> "", (mark, now) -> false, r -> Optional.empty());
        if (!(recorded instanceof ActionOutcome.Done(Reservation r, String message)) || r.state() != ReservationState.ACTIVE) {
            return recorded;
        }
        try {
            cluster.updateKeys(r, runner.spec(r).authorizedKeys());
        } catch (ProvisionException e) {
            return notTaken(r, e.reason());
        } catch (IllegalArgumentException e) {
            return notTaken(r, e.getMessage());
        }
        return new ActionOutcome.Done(r, message + " The server's keys are updated; no restart.");
    }

    /**
     * A running server switches first (the cluster's answer is its new access), then the flag and that access are
     * recorded together; a queued reservation only records the flag, and its server starts with or without Jupyter.
     */
    private ActionOutcome jupyter(UserId user, boolean admin, String id, boolean on) {
        if (!(lookups.find(user, id, admin) instanceof Lookup.Found(Reservation r))) {
            // not found, not yours or ambiguous: the same answer as every action gives (an event that changes nothing)
            return actions.act(user, id, admin, Claims.Action.EXTEND, null, x -> new Event.OptionsChanged(x.id(), x.options()),
                    x -> "Nothing changed; try again.", x -> "", (mark, now) -> false, x -> Optional.empty());
        }
        ServerAccess access = null;
        if (r.state() == ReservationState.ACTIVE) {
            try {
                ServerAccess now = cluster.switchJupyter(r, on);
                access = now.about() == null && r.access() != null ? now.withAbout(r.access().about()) : now;
            } catch (ProvisionException e) {
                return new ActionOutcome.Refused("Jupyter was not turned " + (on ? "on" : "off") + " in " + r.id() + ": " + e.reason()
                        + ". Nothing changed" + (e instanceof ProvisionException.Transient ? "; try again in a minute." : "."));
            }
        }
        ServerAccess switched = access;
        // No delivery key: switching to what already is records nothing new.
        return actions.act(user, id, admin, Claims.Action.EXTEND, null,
                x -> new Event.OptionsChanged(x.id(), withJupyter(x.options(), on), x.state() == ReservationState.ACTIVE ? switched : null),
                x -> jupyterDone(x, on), x -> "", (mark, now) -> false, x -> Optional.empty());
    }

    private static String jupyterDone(Reservation r, boolean on) {
        if (r.state() != ReservationState.ACTIVE) {
            return r.id() + " will start " + (on ? "with" : "without") + " Jupyter.";
        }
        return on ? "Jupyter is on in " + r.id() + ": it starts within about a minute, no restart. Its link (only you see it) is in"
                + " your message about " + r.id() + " and in `/gpu show " + r.id() + "`."
                : "Jupyter is off in " + r.id() + ": it stops within about a minute, no restart, and its old link opens nothing.";
    }

    static RequestOptions withJupyter(RequestOptions was, boolean on) {
        return new RequestOptions(on, was.collaborators(), was.name(), was.image(), was.disk());
    }

    private static ActionOutcome notTaken(Reservation r, String why) {
        return new ActionOutcome.Refused("Recorded the change to " + r.id() + ", but the server did not take the new keys: "
                + why + ". Run the same `/gpu edit` again to push them.");
    }

    static RequestOptions changed(RequestOptions was, List<GithubLogin> add, List<GithubLogin> remove) {
        Set<GithubLogin> users = new LinkedHashSet<>(was.collaborators());
        users.addAll(add);
        users.removeAll(remove);
        return new RequestOptions(was.jupyter(), List.copyOf(users), was.name(), was.image(), was.disk());
    }

    private static String describe(Reservation r, List<GithubLogin> add, List<GithubLogin> remove) {
        List<String> parts = new ArrayList<>();
        if (!add.isEmpty()) {
            parts.add("added " + String.join(", ", add.stream().map(GithubLogin::value).toList()));
        }
        if (!remove.isEmpty()) {
            parts.add("removed " + String.join(", ", remove.stream().map(GithubLogin::value).toList()));
        }
        String users = r.options().collaborators().isEmpty() ? "none"
                : String.join(", ", r.options().collaborators().stream().map(GithubLogin::value).toList());
        String done = String.join(" and ", parts);
        return Character.toUpperCase(done.charAt(0)) + done.substring(1) + ". Collaborators of " + r.id() + " now: " + users + ".";
    }
}
