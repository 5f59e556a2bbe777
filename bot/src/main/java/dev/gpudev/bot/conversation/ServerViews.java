package dev.gpudev.bot.conversation;

import static dev.gpudev.bot.conversation.Markup.escape;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.app.Servers;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.port.ServerLog;

/** The answers of {@code /gpu logs}, {@code list} with filters and pages, {@code cancel --all}, the extend picker, {@code ssh-config}. Pure. */
public final class ServerViews {
    public static final int PAGE = 10;
    /** The most characters of log one answer shows (its end): a chat message holds little more. */
    static final int LOG_CHARS = 12_000;
    static final int EVENT_CHARS = 2_500;

    private ServerViews() {
    }

    public static Message logs(Servers.LogAnswer.Shown shown, int asked) {
        Reservation r = shown.reservation();
        ServerLog log = shown.log();
        StringBuilder b = new StringBuilder(":scroll: *" + r.id() + "* — " + Texts.shape(r) + " on " + r.nodes().getFirst());
        if (!log.events().isEmpty()) {
            b.append("\n*Start-up events*\n```").append(code(tail(String.join("\n", log.events()), EVENT_CHARS))).append("```");
        }
        String text = String.join("\n", log.lines());
        boolean cut = text.length() > LOG_CHARS;
        if (!log.lines().isEmpty()) {
            b.append("\n*The last ").append(log.lines().size()).append(log.lines().size() == 1 ? " line" : " lines")
                    .append(" of its log*").append(r.nodes().size() > 1 ? " (rank 0)" : "")
                    .append("\n```").append(code(tail(text, LOG_CHARS))).append("```");
        } else if (log.note().isEmpty()) {
            b.append("\nIts log is empty so far.");
        }
        if (!log.note().isEmpty()) {
            b.append("\n_").append(escape(log.note())).append("_");
        }
        String note = cut ? "Only the end fits in a message; ask for fewer lines, or `ssh` in and read it whole."
                : "At most " + asked + " lines, as asked (the most is 500): `/gpu logs " + r.id() + " 300`.";
        return Message.of(b.toString()).withNote(note);
    }

    /** A page of a person's reservations, with the buttons to the newer and older pages. */
    public static Message page(List<Reservation> rows, Instant now, int page, boolean more, Set<ReservationState> states,
                               @Nullable String user) {
        String filter = states.isEmpty() ? "" : " (" + states.stream().sorted().map(ServerViews::state).collect(Collectors.joining(", ")) + ")";
        String whose = user == null ? "You have" : Markup.user(user) + " has";
        String text = rows.isEmpty() ? (page > 1 ? "No more reservations" + filter + "." : whose + " no reservations" + filter + ".")
                : CommandViews.list(rows, now, false) + (page > 1 || more ? "\n_Page " + page + "_" : "");
        List<Button> buttons = new ArrayList<>();
        String rest = "|" + states.stream().sorted().map(Enum::name).collect(Collectors.joining(",")) + "|" + (user == null ? "" : user);
        if (page > 1) {
            buttons.add(Button.of(Actions.LIST_PAGE, "Newer", (page - 1) + rest));
        }
        if (more) {
            buttons.add(Button.of(Actions.LIST_PAGE, "Older", (page + 1) + rest));
        }
        return Message.of(text).withButtons(buttons);
    }

    private static String state(ReservationState s) {
        return switch (s) {
            case QUEUED -> "queued";
            case PROVISIONING -> "starting";
            case ACTIVE -> "ready";
            case ENDED -> "ended";
        };
    }

    /** {@code cancel --all}: what would end, and one button that asks again before it ends them all. */
    public static Message cancelAll(List<Reservation> live, Instant now) {
        if (live.isEmpty()) {
            return Message.of("You have no live reservations, so there is nothing to cancel.");
        }
        String label = "Cancel all " + live.size();
        return Message.of("These would end — running servers are deleted, queued requests leave the queue:\n"
                        + CommandViews.list(live, now, false))
                .withButtons(List.of(Button.of(Actions.CANCEL_ALL, label, Long.toString(newest(live).getEpochSecond())).styled(Button.Style.DANGER)
                        .confirming(new Button.Confirm(label + "?", "Every server listed is deleted at once; files outside your home volume"
                                + " and /shared are lost.", label, "Keep them"))));
    }

    /** The latest request among {@code rs}: the button ends those requested up to it, not one made after the list was drawn. */
    private static Instant newest(List<Reservation> rs) {
        return rs.stream().map(Reservation::requestedAt).max(Instant::compareTo).orElse(Instant.EPOCH);
    }

    /** {@code extend 2h} with several live reservations: which one? A button per reservation, carrying the duration. */
    public static Message extendPicker(List<Reservation> live, Duration by, Instant now) {
        List<Message.Item> items = new ArrayList<>();
        for (Reservation r : live) {
            items.add(new Message.Item(CommandViews.line(r, now, false), List.of(Button.of(Actions.EXTEND_PICK,
                    "Extend " + r.id() + " +" + Texts.duration(by), r.id().value() + "|" + r.extendedBy().toMinutes() + "|" + by.toMinutes()))));
        }
        return Message.of("Which one should I extend by " + Texts.duration(by) + "?").withItems(items);
    }

    /** The answer that carries the SSH config (the file itself is attached to it). */
    public static Message sshConfig(List<Servers.Server> servers, long starting) {
        if (servers.isEmpty()) {
            return Message.of(starting > 0 ? "None of your servers is ready yet; ask again when I DM you that one is."
                    : "You have no ready servers, so there is nothing to put in an SSH config. `/gpu reserve h100 1 2h` starts one.");
        }
        int ranks = servers.stream().mapToInt(s -> s.rankHosts().size()).sum();
        String hosts = servers.stream().map(s -> "`" + s.reservation().id() + "`").collect(Collectors.joining(", "));
        return Message.of(":key: Your SSH config for " + hosts + (ranks == 0 ? "" : " and " + ranks + " further rank" + (ranks == 1 ? "" : "s")
                + " (`<id>-rank1`…, through rank 0)") + ": save the file as `~/.ssh/config.d/gpu-dev` and put `Include config.d/gpu-dev`"
                + " at the top of `~/.ssh/config`; then `ssh " + servers.getFirst().reservation().id() + "`."
                + (starting > 0 ? " " + starting + " more still starting: ask again when they are ready." : ""));
    }

    private static String tail(String s, int max) {
        return s.length() <= max ? s : "…" + s.substring(s.length() - max + 1);
    }

    /** Text from the server in a code block: escaped, and a run of backticks that would close the block broken up. */
    private static String code(String s) {
        return escape(s.replace("```", "`\u200b``"));
    }
}
