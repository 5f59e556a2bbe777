package dev.gpudev.bot.views;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.ConfirmationDialogObject;
import com.slack.api.model.block.element.BlockElement;

import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.port.ClusterListener;

/** The one DM per reservation, as it moves from queued to ended, and the reminders. Pure functions. */
public final class ReservationViews {
    public static final String CANCEL = "cancel";
    public static final String EXTEND_1H = "extend_1h";
    public static final String EXTEND_4H = "extend_4h";

    private ReservationViews() {
    }

    /** A message: fallback text for notifications and the blocks. */
    public record Message(String text, List<LayoutBlock> blocks) {
        public Message {
            blocks = List.copyOf(blocks);
        }
    }

    public static Message of(Notice notice) {
        Reservation r = notice.reservation();
        String id = "*" + r.id() + "*";
        String what = Texts.shape(r) + " for " + Texts.duration(r.duration());
        return switch (notice) {
            case Notice.Queued q -> message(":hourglass_flowing_sand: " + id + " — " + what + " is queued, #" + q.position() + " in line"
                    + (q.eta() == null ? "." : ", expected to start around " + Texts.time(q.eta()) + "."),
                    List.of(cancelButton(r)), "I'll update this message when it starts.");
            case Notice.Starting s -> message(":gear: Starting " + id + " — " + what + " on " + nodes(r) + "."
                    + (s.reservation().detail().isBlank() ? "" : " _" + detail(s.reservation()) + "_"),
                    List.of(cancelButton(r)), "I'll post the SSH command here when the server is ready.");
            case Notice.Ready ready -> active(r, ":white_check_mark: " + id + " is ready — " + Texts.shape(r) + " on " + nodes(r));
            case Notice.Extended e -> r.endsAt() == null
                    ? message(":hourglass_flowing_sand: " + id + " — now " + what + ".", List.of(cancelButton(r)), "")
                    : active(r, ":white_check_mark: " + id + " — extended, " + Texts.shape(r) + " on " + nodes(r));
            case Notice.Reminder rem -> reminder(r, rem.left(), rem.last());
            case Notice.Ended e -> message(ended(r), List.of(), "");
        };
    }

    /** The ready message: SSH command, time left, Extend and Cancel. */
    private static Message active(Reservation r, String headline) {
        ServerAccess a = r.access();
        List<LayoutBlock> blocks = new ArrayList<>();
        String until = r.endsAt() == null ? "" : ", until " + Texts.time(r.endsAt());
        blocks.add(section(s -> s.text(markdownText(headline + until + "."))));
        if (a != null) {
            blocks.add(section(s -> s.text(markdownText("```" + a.sshCommand() + "```"))));
            if (a.jupyterUrl() != null) {
                blocks.add(section(s -> s.text(markdownText(jupyter(a)))));
            }
        }
        blocks.add(actions(buttons(r, true)));
        blocks.add(context(c -> c.elements(List.of(markdownText(
                "Your GitHub SSH keys open it. Reminders come 30, 15 and 5 minutes before the end.")))));
        return new Message(plain(headline) + (a == null ? "" : ": " + a.sshCommand()), blocks);
    }

    /** Jupyter's link; for a Jupyter reached through SSH, the {@code ssh -L} line first. */
    static String jupyter(ServerAccess a) {
        return a.jupyterTunnel().map(t -> "Jupyter, through SSH: ```" + t + "``` then <" + a.jupyterUrl() + "|open notebook>")
                .orElse("Jupyter: <" + a.jupyterUrl() + "|open notebook>");
    }

    private static Message reminder(Reservation r, Duration left, boolean last) {
        String text = ":alarm_clock: *" + r.id() + "* ends in " + Texts.duration(left)
                + (r.endsAt() == null ? "." : ", at " + Texts.time(r.endsAt()) + ".");
        String note = last ? "When it ends, the server and everything outside your home volume and /shared are deleted — copy what you need now."
                : "Extend it if you need more time, or release it if you are done.";
        List<BlockElement> elements = new ArrayList<>(buttons(r, false));
        return message(text, elements, note);
    }

    private static String ended(Reservation r) {
        String id = "*" + r.id() + "*";
        String why = detail(r);
        return switch (r.endReason()) {
            case EXPIRED -> ":checkered_flag: " + id + " has ended: " + why + ". The server was deleted.";
            case CANCELLED -> ":wastebasket: " + id + " was released (" + why + ").";
            case FAILED -> failed(id, r.detail());
            case REJECTED -> ":no_entry: " + id + " could not be placed: " + why + ".";
            case null -> ":grey_question: " + id + " has ended.";
        };
    }

    private static Message message(String text, List<BlockElement> buttons, String note) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText(text))));
        if (!buttons.isEmpty()) {
            blocks.add(actions(buttons));
        }
        if (!note.isBlank()) {
            blocks.add(context(c -> c.elements(List.of(markdownText(note)))));
        }
        return new Message(plain(text), blocks);
    }

    /** Notification text: no emoji codes, no markup. */
    private static String plain(String mrkdwn) {
        return mrkdwn.replaceAll(":[a-z0-9_+-]+: ?", "").replaceAll("(?<![A-Za-z0-9])[*_]|[*_](?![A-Za-z0-9])", "");
    }

    /** The buttons a live reservation offers in lists and the Home tab. */
    public static List<BlockElement> buttonsFor(Reservation r) {
        return r.state() == ReservationState.ACTIVE ? buttons(r, true) : List.of(cancelButton(r));
    }

    private static List<BlockElement> buttons(Reservation r, boolean both) {
        String token = r.id().value() + "|" + r.extendedBy().toMinutes();
        List<BlockElement> list = new ArrayList<>();
        list.add(button(b -> b.actionId(EXTEND_1H).text(plainText("Extend +1h")).value(token)));
        if (both) {
            list.add(button(b -> b.actionId(EXTEND_4H).text(plainText("Extend +4h")).value(token)));
        }
        list.add(cancelButton(r));
        return list;
    }

    private static BlockElement cancelButton(Reservation r) {
        String label = r.state().holdsGpus() ? "Release" : "Cancel";
        return button(b -> b.actionId(CANCEL).text(plainText(label)).value(r.id().value()).style("danger")
                .confirm(ConfirmationDialogObject.builder()
                        .title(plainText(label + " " + r.id() + "?"))
                        .text(markdownText(r.state().holdsGpus()
                                ? "The server is deleted at once. Files outside your home volume and /shared are lost."
                                : "Your place in the queue is given up."))
                        .confirm(plainText(label)).deny(plainText("Keep it")).style("danger").build()));
    }

    /** The reason, and the end of the server's log as a code block when the cluster sent one. */
    private static String failed(String id, String detail) {
        int at = detail.indexOf(ClusterListener.LOG_LINES);
        if (at < 0) {
            return ":x: " + id + " failed: " + Texts.escape(Texts.truncate(detail, 1000)) + ".";
        }
        String log = detail.substring(at + ClusterListener.LOG_LINES.length());
        return ":x: " + id + " failed: " + Texts.escape(Texts.truncate(detail.substring(0, at), 500)) + ". The end of its log:\n```"
                + Texts.escape(log.length() > 1500 ? "…" + log.substring(log.length() - 1500) : log) + "```";
    }

    /** Progress or the reason it ended, as the cluster or policy wrote it: escaped, and short enough for a block. */
    private static String detail(Reservation r) {
        return Texts.escape(Texts.truncate(r.detail(), 1000));
    }

    private static String nodes(Reservation r) {
        return r.nodes().isEmpty() ? "—" : String.join(", ", r.nodes().stream().map(Object::toString).toList());
    }

    /** Parses a button value {@code id|extendedMinutes}. */
    public static String[] token(String value) {
        return value.split("\\|", 2);
    }

}
