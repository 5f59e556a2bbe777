package dev.gpudev.bot.conversation;

import static dev.gpudev.bot.conversation.Markup.escape;
import static dev.gpudev.bot.conversation.Markup.truncate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.gpudev.scheduler.app.Board;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.port.ClusterListener;

/** Text answers to commands (to the asker only), in {@link Markup}. Pure functions. */
public final class CommandViews {
    private CommandViews() {
    }

    /** The types and the duration bounds come from the board: a deployment that changes its limits is described truly. */
    public static String help(Board board) {
        return """
                *Reserve a GPU server*  `/gpu reserve <type> <gpus> <duration>`
                  `/gpu reserve h100 4 2h` · `/gpu reserve 4xh100 90m` · `/gpu reserve h100 2x8 4h` (two whole nodes)
                  options: `--jupyter`, `--add-user <github-login>`, `--name <label>`, `--disk <name>` (mounts your disk at /disks/<name>)
                *Book ahead*  `/gpu reserve h100 8 4h --at "thu 10:00"` (your time zone) · `/gpu bookings [type]`
                *Your reservations*  `/gpu list` (`--state ended`, `--page 2`; `/gpu list all` for everyone's) · `/gpu show <id>` · `/gpu logs <id> [lines]`
                *Change one*  `/gpu extend [id] 2h` · `/gpu cancel [id]` (`--all` for every one) · `/gpu edit <id> --add-user <github-login>` (`--remove-user`, `--jupyter on|off`) — a unique prefix of the id, or its `--name`, is enough
                *Connect*  `/gpu ssh-config`: a file for `~/.ssh/config` with all your servers
                *The cluster*  `/gpu availability` · `/gpu queue`
                *Usage and pictures*  `/gpu usage [week|month] [@user|team:NAME] [csv]` · `/gpu timeline [type]` (a PNG of the nodes)
                *Your disks*  `/gpu disk list` · `create NAME SIZE` · `delete NAME` · `snapshot NAME` · `snapshots NAME` · `restore NAME [SNAPSHOT]`
                *Your GitHub account*  `/gpu link` · `/gpu whoami`
                *Tell me when it's free*  `/gpu notify h100 8 2h` (a DM with a Reserve button, for a day) · `/gpu notify list` · `/gpu notify cancel [id]`
                GPU types: %s. Durations like `30m`, `2h`, `1.5h`; up to %s, extend to %s in all.\
                """.formatted(board.form().catalog().types().stream().map(t -> t.name() + " (" + t.gpusPerNode() + "/node)")
                .collect(Collectors.joining(", ")), Texts.duration(board.limits().maxDuration()), Texts.duration(board.limits().maxTotal()));
    }

    public static String list(List<Reservation> reservations, Instant now, boolean everyone) {
        if (reservations.isEmpty()) {
            return everyone ? "Nobody holds or waits for GPUs right now." : "You have no reservations. Try `/gpu reserve h100 1 2h`.";
        }
        return reservations.stream().map(r -> line(r, now, everyone)).collect(Collectors.joining("\n"));
    }

    public static String line(Reservation r, Instant now, boolean withOwner) {
        String owner = withOwner ? " " + Markup.user(r.owner().value()) : "";
        String state = switch (r.state()) {
            case QUEUED -> r.booking() != null ? "booked from " + Markup.dayTime(r.booking().startsAt()) : "queued since " + Markup.time(r.requestedAt());
            case PROVISIONING -> "starting on " + r.nodes().getFirst();
            case ACTIVE -> "active on " + String.join(", ", r.nodes().stream().map(NodeName::value).toList()) + ", "
                    + Texts.duration(Duration.between(now, r.endsAt()).isNegative() ? Duration.ZERO : Duration.between(now, r.endsAt())) + " left";
            case ENDED -> "ended (" + escape(truncate(reason(r), 300)) + ")";
        };
        String name = r.options().name() == null ? "" : " (" + escape(truncate(r.options().name(), 40)) + ")";
        return "• `" + r.id() + "`" + name + owner + " " + Texts.shape(r) + " for " + Texts.duration(r.duration()) + " — " + state;
    }

    /** @param owner whether the reader owns it: only the owner sees the Jupyter URL, which carries its token */
    public static String show(Reservation r, Instant now, boolean owner) {
        StringBuilder b = new StringBuilder(line(r, now, true));
        if (r.access() != null && r.state() == ReservationState.ACTIVE) {
            b.append("\n```").append(r.access().sshCommand()).append("```");
            b.append("\nVS Code: `Remote-SSH: Connect to Host…` with `").append(r.access().user()).append('@').append(r.access().host())
                    .append(":").append(r.access().port()).append('`');
            b.append("\n~/.ssh/config:\n```Host ").append(r.id()).append("\n  HostName ").append(r.access().host())
                    .append("\n  Port ").append(r.access().port()).append("\n  User ").append(r.access().user()).append("```");
            if (owner && r.access().jupyterUrl() != null) {
                b.append("\n").append(ReservationViews.jupyter(r.access()));
            }
        }
        int log = r.detail().indexOf(ClusterListener.LOG_LINES);
        if (r.state() == ReservationState.ENDED && log >= 0) {
            b.append("\nThe end of its log:\n```").append(escape(truncate(r.detail().substring(log + ClusterListener.LOG_LINES.length()), 2500)))
                    .append("```");
        }
        if (!r.options().collaborators().isEmpty()) {
            b.append("\nCollaborators: ").append(String.join(", ", r.options().collaborators().stream().map(Object::toString).toList()));
        }
        if (r.options().disk() != null) {
            b.append("\nDisk: `").append(r.options().disk()).append("` at `/disks/").append(r.options().disk()).append('`');
        }
        return b.toString();
    }

    /** Why it ended, without the log lines a failure may carry. */
    private static String reason(Reservation r) {
        int log = r.detail().indexOf(ClusterListener.LOG_LINES);
        return log < 0 ? r.detail() : r.detail().substring(0, log);
    }

    /** Free/total GPUs per type and node, the queue length, and when 1/2/4/8 GPUs for an hour would start. */
    public static String availability(Board board) {
        StringBuilder b = new StringBuilder();
        for (Board.TypeStatus t : board.types()) {
            b.append("*").append(t.name()).append("*: ").append(t.free()).append("/").append(t.total()).append(" free, ")
                    .append(t.queued()).append(" queued — ")
                    .append(t.nodes().stream().map(n -> n.name() + " " + n.free() + "/" + n.total() + (n.schedulable() ? "" : " (drained)"))
                            .collect(Collectors.joining(", ")));
            if (!t.etas().isEmpty()) {
                b.append("\n    an hour of ").append(t.etas().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + " GPU" + (e.getKey() == 1 ? "" : "s") + " "
                                + (e.getValue().isAfter(board.now()) ? "~" + Markup.time(e.getValue()) : "now"))
                        .collect(Collectors.joining(" · ")));
            }
            b.append('\n');
        }
        return b.isEmpty() ? "The cluster has no GPU nodes." : b.toString().strip();
    }

    public static String queue(Board board) {
        StringBuilder b = new StringBuilder();
        for (GpuType t : board.form().catalog().types()) {
            List<Board.Waiting> q = board.queue(t.name());
            if (!q.isEmpty()) {
                b.append("*").append(t.name()).append("*\n");
                int position = 0;
                for (Board.Waiting w : q) {
                    Reservation r = w.reservation();
                    // a booking waits for its start, not in line
                    b.append(r.booking() == null ? ++position + "." : "•").append(" `").append(r.id()).append("` ")
                            .append(Markup.user(r.owner().value())).append(' ').append(Texts.shape(r)).append(" for ")
                            .append(Texts.duration(r.duration()))
                            .append(r.booking() == null ? "" : " — booked from " + Markup.dayTime(r.booking().startsAt())).append('\n');
                }
            }
        }
        return b.isEmpty() ? "Nobody is waiting." : b.toString().strip();
    }
}
