package dev.gpudev.bot.conversation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.app.DiskOutcome;
import dev.gpudev.scheduler.app.Disks;
import dev.gpudev.scheduler.app.Reservations;
import dev.gpudev.scheduler.command.Command.DiskAction;
import dev.gpudev.scheduler.port.Disk;
import dev.gpudev.scheduler.port.DiskSnapshot;
import dev.gpudev.scheduler.port.StoreUnavailableException;

/**
 * {@code /gpu disk …} in the conversation: the use case runs after the acknowledgement (it asks GitHub who the actor is
 * and the cluster for the disks); a command that changes a disk runs once per delivery. Rendering is pure.
 */
public final class DiskViews {
    private DiskViews() {
    }

    static Reply command(Disks disks, Reservations reservations, Actor actor, DiskAction action, @Nullable String key) {
        boolean changes = switch (action) {
            case DiskAction.ListDisks l -> false;
            case DiskAction.Snapshots s -> false;
            case DiskAction.Delete d -> d.confirmed();
            case DiskAction.Create c -> true;
            case DiskAction.Snapshot s -> true;
            case DiskAction.Restore r -> true;
        };
        return new Reply.Later(null, reply -> {
            if (changes && duplicate(reservations, key)) {
                reply.accept(Message.of(":information_source: This disk command arrived twice; it is done once. `/gpu disk list` shows the result."));
                return;
            }
            reply.accept(render(disks.run(actor, action), reservations.now()));
        });
    }

    /** The "Delete" button under the question; its value is {@code owner|name}. */
    static Reply press(Disks disks, Reservations reservations, Actor actor, String value, String key) {
        String[] parts = value.split("\\|", 2);
        return new Reply.Later(null, reply -> {
            if (parts.length != 2) {
                reply.accept(Message.of(":warning: That button is not one this bot drew; nothing changed."));
            } else if (duplicate(reservations, key)) {
                reply.accept(Message.of(":information_source: Pressed twice; the disk is deleted once."));
            } else {
                reply.accept(render(disks.deleteConfirmed(actor, parts[0], parts[1]), reservations.now()));
            }
        });
    }

    /** What the acknowledgement can tell of {@code --disk} (no I/O): that this cluster has no disks. */
    static Optional<String> ackRefusal(Disks disks, @Nullable String disk) {
        return disk != null && !disks.enabled() ? Optional.of(Disks.NO_DISKS + " Reserve without `--disk`.") : Optional.empty();
    }

    /** Before a reservation with {@code --disk} is made: why its server could not mount the disk, or empty. */
    static Optional<String> mountRefusal(Disks disks, Actor actor, @Nullable String disk) {
        return disk == null ? Optional.empty() : disks.mountRefusal(actor, disk);
    }

    /** Whether the delivery {@code key} was handled before (fail closed: a store that cannot say counts as handled). */
    private static boolean duplicate(Reservations reservations, @Nullable String key) {
        if (key == null) {
            return false;
        }
        try {
            return reservations.claim("disk:" + key, "").isPresent();
        } catch (StoreUnavailableException e) {
            return true;
        }
    }

    public static Message render(DiskOutcome outcome, Instant now) {
        return switch (outcome) {
            case DiskOutcome.Listed l -> Message.of(list(l));
            case DiskOutcome.Snapshots s -> Message.of(snapshots(s));
            case DiskOutcome.ConfirmDelete c -> Message.of("Delete disk `" + c.disk().name() + "` (" + c.disk().sizeGib() + " GiB)? Its files"
                    + " go with it. " + (c.snapshots() == 0 ? "It has no snapshot, so nothing could bring them back."
                    : "Its " + c.snapshots() + " snapshot" + (c.snapshots() == 1 ? "" : "s") + " stay: `/gpu disk restore "
                    + c.disk().name() + "` brings it back."))
                    .withButtons(List.of(Button.of(Actions.DISK_DELETE, "Delete " + c.disk().name(), c.owner().value() + "|" + c.disk().name())
                            .styled(Button.Style.DANGER)
                            .confirming(new Button.Confirm("Delete disk " + c.disk().name() + "?", "Its files are deleted now.", "Delete", "Keep it"))));
            case DiskOutcome.Changed(String message) -> Message.of(":white_check_mark: " + message);
            case DiskOutcome.Refused(String reason) -> Message.of(":no_entry: " + reason);
        };
    }

    private static String list(DiskOutcome.Listed l) {
        if (l.disks().isEmpty()) {
            return "You have no disks yet (GitHub `" + l.owner() + "`). Your home is made when your first server starts;"
                    + " `/gpu disk create data 100` makes a 100 GiB disk that `/gpu reserve … --disk data` mounts.";
        }
        StringBuilder b = new StringBuilder("*Your disks* (GitHub `" + l.owner() + "`)");
        for (Disk d : l.disks()) {
            b.append("\n• `").append(d.name()).append("` — ").append(d.sizeGib()).append(" GiB, ")
                    .append(d.name().isHome() ? "your home on every server" : "at `/disks/" + d.name() + "`")
                    .append(d.mounted().map(by -> ", mounted by `" + by + "`").orElse(", not mounted"));
            List<DiskSnapshot> snaps = l.snapshots().getOrDefault(d.name(), List.of());
            b.append(snaps.isEmpty() ? "; no snapshots" : "; " + snaps.size() + " snapshot" + (snaps.size() == 1 ? "" : "s")
                    + ", newest `" + snaps.getFirst().id() + "` (" + Markup.time(snaps.getFirst().takenAt()) + ")");
        }
        return b.append("\nSnapshots of one: `/gpu disk snapshots NAME` · a new disk: `/gpu disk create NAME SIZE`").toString();
    }

    private static String snapshots(DiskOutcome.Snapshots s) {
        if (s.snapshots().isEmpty()) {
            return "`" + s.disk() + "` has no snapshots. One is taken when a reservation that mounts it ends, or now with"
                    + " `/gpu disk snapshot " + s.disk() + "`.";
        }
        StringBuilder b = new StringBuilder("*Snapshots of `" + s.disk() + "`*, newest first:");
        for (DiskSnapshot snap : s.snapshots()) {
            b.append("\n• `").append(snap.id()).append("` — ").append(kind(snap.kind())).append(", ")
                    .append(Markup.time(snap.takenAt())).append(snap.failed() ? ", *failed* (never restored)" : snap.ready() ? "" : ", being taken");
        }
        return b.append("\nRestore one: `/gpu disk restore ").append(s.disk()).append(" SNAPSHOT` (without SNAPSHOT: the newest ready one)."
                + " Automatic snapshots are kept a few per disk; the ones you took stay.").toString();
    }

    private static String kind(DiskSnapshot.Kind kind) {
        return switch (kind) {
            case MANUAL -> "taken by you";
            case END -> "at a reservation's end";
            case MOVE -> "to move it to another zone";
            case BEFORE_RESTORE -> "of what a restore replaced";
        };
    }
}
