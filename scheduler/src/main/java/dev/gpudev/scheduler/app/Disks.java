package dev.gpudev.scheduler.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.command.Command.DiskAction;
import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.AccessDecision;
import dev.gpudev.scheduler.port.Disk;
import dev.gpudev.scheduler.port.DiskSnapshot;
import dev.gpudev.scheduler.port.Identity;
import dev.gpudev.scheduler.port.VolumeRefusal;
import dev.gpudev.scheduler.port.Volumes;

/**
 * The {@code /gpu disk} use cases over {@link Volumes}. A disk belongs to a GitHub login: the actor acts only on the
 * disks of the login their chat account is linked to (resolved through {@link Identity}, fail closed), so nobody names
 * another person's disk at all. Nothing is deleted but what the owner confirmed.
 */
public final class Disks {
    public static final String NO_DISKS = "This cluster has no persistent disks (no home storage class is configured), so there"
            + " is nothing to list or create; servers keep only `/shared`, if configured.";

    private final @Nullable Volumes volumes;
    private final Identity identity;

    /** A cluster without disks: every disk command is refused with {@link #NO_DISKS}. */
    public static Disks none() {
        return new Disks(Optional.empty(), new Identity() {
            @Override
            public AccessDecision authorize(UserId user) {
                return new AccessDecision.Denied(NO_DISKS);
            }

            @Override
            public AccessDecision authorizeLogin(GithubLogin login) {
                return new AccessDecision.Denied(NO_DISKS);
            }
        });
    }

    public Disks(Optional<Volumes> volumes, Identity identity) {
        this.volumes = volumes.orElse(null);
        this.identity = identity;
    }

    public boolean enabled() {
        return volumes != null;
    }

    /** Runs one disk command for the actor (it may call GitHub and the cluster: after the acknowledgement). */
    public DiskOutcome run(Actor actor, DiskAction action) {
        return as(actor, (v, owner) -> switch (action) {
            case DiskAction.ListDisks l -> {
                List<Disk> disks = v.disks(owner);
                Map<DiskName, List<DiskSnapshot>> snaps = new LinkedHashMap<>();
                disks.forEach(d -> snaps.put(d.name(), v.snapshots(owner, d.name())));
                yield new DiskOutcome.Listed(owner, disks, snaps);
            }
            case DiskAction.Create c -> {
                Disk d = v.create(owner, DiskName.parse(c.name()), c.sizeGib());
                yield new DiskOutcome.Changed("Created disk `" + d.name() + "` (" + d.sizeGib() + " GiB). Mount it with `/gpu reserve"
                        + " … --disk " + d.name() + "`: it is at `/disks/" + d.name() + "` and outlives the server.");
            }
            case DiskAction.Delete d -> delete(v, owner, DiskName.parse(d.name()), d.confirmed());
            case DiskAction.Snapshot s -> {
                DiskSnapshot snap = v.snapshot(owner, DiskName.parse(s.name()));
                yield new DiskOutcome.Changed("Snapshot `" + snap.id() + "` of `" + snap.disk() + "` taken"
                        + (snap.ready() ? "." : "; it is ready in a few minutes.") + " Restore it with `/gpu disk restore "
                        + snap.disk() + " " + snap.id() + "`.");
            }
            case DiskAction.Snapshots s -> {
                DiskName name = DiskName.parse(s.name());
                yield new DiskOutcome.Snapshots(name, v.snapshots(owner, name));
            }
            case DiskAction.Restore r -> {
                DiskName name = DiskName.parse(r.name());
                Disk d = v.restore(owner, name, r.snapshot());
                yield new DiskOutcome.Changed("Restored `" + d.name() + "` from " + (r.snapshot() == null ? "its newest snapshot"
                        : "snapshot `" + r.snapshot() + "`") + ". What it held before is kept as a snapshot (`/gpu disk snapshots "
                        + d.name() + "`); the next server that mounts it sees the restored files.");
            }
        });
    }

    /**
     * The owner's confirmation of a delete (the button under the question). {@code ownerLogin} is whose disk the
     * question was about: anyone else's press deletes nothing, not even a disk of their own with the same name.
     */
    public DiskOutcome deleteConfirmed(Actor actor, String ownerLogin, String name) {
        return as(actor, (v, owner) -> owner.value().equalsIgnoreCase(ownerLogin) ? delete(v, owner, DiskName.parse(name), true)
                : new DiskOutcome.Refused("That question was about another person's disk; nothing was deleted."));
    }

    /** Why a new reservation cannot mount the actor's disk {@code name} (unknown, or mounted by a named server), or empty. */
    public Optional<String> mountRefusal(Actor actor, String name) {
        DiskOutcome o = as(actor, (v, owner) -> v.checkMount(owner, DiskName.parse(name))
                .<DiskOutcome>map(DiskOutcome.Refused::new).orElse(new DiskOutcome.Changed("")));
        return o instanceof DiskOutcome.Refused(String why) ? Optional.of(why) : Optional.empty();
    }

    /**
     * Why a booking cannot name the actor's disk {@code name}: it does not exist. One mounted now is no reason (it may be
     * free by the booking's start; the start checks again, as any reservation's does).
     */
    public Optional<String> bookRefusal(Actor actor, String name) {
        DiskOutcome o = as(actor, (v, owner) -> {
            DiskName n = DiskName.parse(name);
            return v.disks(owner).stream().anyMatch(d -> d.name().equals(n)) ? new DiskOutcome.Changed("")
                    : new DiskOutcome.Refused("you have no disk named " + n + "; `/gpu disk create " + n + " 100` makes one, `/gpu disk list` shows yours");
        });
        return o instanceof DiskOutcome.Refused(String why) ? Optional.of(why) : Optional.empty();
    }

    private DiskOutcome delete(Volumes v, GithubLogin owner, DiskName name, boolean confirmed) {
        if (name.isHome()) {
            return new DiskOutcome.Refused("Your home cannot be deleted with a command; it is kept for you. Ask an admin if you"
                    + " really want it gone.");
        }
        Optional<Disk> disk = v.disks(owner).stream().filter(d -> d.name().equals(name)).findFirst();
        if (disk.isEmpty()) {
            return new DiskOutcome.Refused("You have no disk named `" + name + "`; `/gpu disk list` shows yours.");
        }
        if (disk.get().mounted().isPresent()) {
            return new DiskOutcome.Refused("Disk `" + name + "` is mounted by server " + disk.get().mountedBy()
                    + "; release that reservation first.");
        }
        if (!confirmed) {
            return new DiskOutcome.ConfirmDelete(owner, disk.get(), v.snapshots(owner, name).size());
        }
        v.delete(owner, name);
        return new DiskOutcome.Changed("Deleted disk `" + name + "`. Its snapshots stay: `/gpu disk restore " + name
                + "` brings it back.");
    }

    /** Resolves the actor's login (fail closed), then runs {@code work}; refusals become {@link DiskOutcome.Refused}. */
    private DiskOutcome as(Actor actor, Work work) {
        if (volumes == null) {
            return new DiskOutcome.Refused(NO_DISKS);
        }
        GithubLogin owner;
        switch (identity.authorize(actor.user())) {
            case AccessDecision.Granted g -> owner = g.login();
            case AccessDecision.Denied(String reason) -> {
                return new DiskOutcome.Refused(reason);
            }
            case AccessDecision.Unavailable u -> {
                return new DiskOutcome.Refused("GitHub did not answer who you are, so nothing changed. Try again in a minute.");
            }
        }
        try {
            return work.apply(volumes, owner);
        } catch (VolumeRefusal e) {
            return new DiskOutcome.Refused(sentence(e.getMessage()));
        } catch (IllegalArgumentException e) {
            return new DiskOutcome.Refused(e.getMessage());
        } catch (RuntimeException e) {
            return new DiskOutcome.Refused("The cluster's storage did not answer (" + e.getClass().getSimpleName() + "), so this"
                    + " may not have happened. `/gpu disk list` shows where things stand; repeating the command is safe.");
        }
    }

    private static String sentence(String s) {
        return s.endsWith(".") ? s : s + ".";
    }

    @FunctionalInterface
    private interface Work {
        DiskOutcome apply(Volumes volumes, GithubLogin owner);
    }
}
