package dev.gpudev.bot.conversation;

import static dev.gpudev.bot.conversation.Markup.escape;
import static dev.gpudev.bot.conversation.Markup.truncate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.port.ClusterListener;

/** The one DM per reservation, as it moves from queued to ended, and the reminders. Pure functions. */
public final class ReservationViews {
    private ReservationViews() {
    }

    public static Message of(Notice notice) {
        return of(notice, Survival.DEFAULTS);
    }

    /** @param survival what outlives a server on this cluster: the last reminder says it */
    public static Message of(Notice notice, Survival survival) {
        Reservation r = notice.reservation();
        String id = "*" + r.id() + "*";
        String what = Texts.shape(r) + " for " + Texts.duration(r.duration());
        return switch (notice) {
            case Notice.Queued q when r.booking() != null -> message(":calendar: " + id + " — " + what + " is booked from "
                    + Markup.dayTime(r.booking().startsAt()) + ".", List.of(cancelButton(r)),
                    "I'll remind you before it starts, and start it then. Booked GPUs nobody uses within half an hour of the start are released.");
            case Notice.BookingReminder b -> message(":alarm_clock: " + id + " — your booking of " + what + " starts in "
                    + Texts.duration(b.left()) + ", at " + Markup.time(r.booking() == null ? r.requestedAt() : r.booking().startsAt()) + ".",
                    List.of(cancelButton(r)), "Cancel it if you no longer need it, so others can use the GPUs.");
            case Notice.Queued q -> message(":hourglass_flowing_sand: " + id + " — " + what + " is queued, #" + q.position() + " in line"
                    + (q.eta() == null ? "." : ", expected to start around " + Markup.time(q.eta()) + "."),
                    List.of(cancelButton(r)), "I'll update this message when it starts.");
            case Notice.Starting s -> message(":gear: Starting " + id + " — " + what + " on " + nodes(r) + "."
                    + (r.detail().isBlank() ? "" : " _" + detail(r) + "_"),
                    List.of(cancelButton(r)), "I'll post the SSH command here when the server is ready.");
            case Notice.Ready ready -> active(r, ":white_check_mark: " + id + " is ready — " + Texts.shape(r) + " on " + nodes(r));
            case Notice.Changed c -> active(r, ":white_check_mark: " + id + " is ready — " + Texts.shape(r) + " on " + nodes(r));
            case Notice.Extended e -> r.endsAt() == null
                    ? message(":hourglass_flowing_sand: " + id + " — now " + what + ".", List.of(cancelButton(r)), "")
                    : active(r, ":white_check_mark: " + id + " — extended, " + Texts.shape(r) + " on " + nodes(r));
            case Notice.Reminder rem -> reminder(r, rem.left(), rem.last(), survival);
            case Notice.IdleQuestion q -> IdleViews.question(q);
            case Notice.Ended e -> message(ended(r), List.of(), "");
        };
    }

    /**
     * Whether a platform that keeps one message per reservation also posts this notice as a reply under it, so the
     * moments a person must not miss (ready, ended) notify even though the message was only edited.
     */
    public static boolean alsoAsReply(Notice notice) {
        return notice instanceof Notice.Ready || notice instanceof Notice.Ended;
    }

    /** The ready message: SSH command, time left, Extend and Release. */
    private static Message active(Reservation r, String headline) {
        ServerAccess a = r.access();
        String until = r.endsAt() == null ? "" : ", until " + Markup.time(r.endsAt());
        StringBuilder text = new StringBuilder(headline).append(until).append('.');
        if (a != null) {
            text.append("\n```").append(a.sshCommand()).append("```");
            if (a.about() != null) {
                text.append('\n').append(escape(truncate(a.about(), 300)));
            }
            if (a.jupyterUrl() != null) {
                text.append('\n').append(jupyter(a));
            }
        }
        if (r.options().disk() != null) {
            text.append("\nYour disk `").append(r.options().disk()).append("` is at `/disks/").append(r.options().disk()).append("`.");
        }
        List<Button> buttons = new ArrayList<>(buttons(r, true));
        if (r.booking() != null && !r.booking().used()) {
            buttons.add(0, Button.of(Actions.BOOKING_USED, "I'm using it", r.id().value()).styled(Button.Style.PRIMARY));
            text.append("\nPress *I'm using it* (or extend it) once you are on it: a booking nobody confirms within half an hour of its start is released.");
        }
        return Message.of(text.toString()).withButtons(buttons)
                .withNote("Your GitHub SSH keys open it. Reminders come 30, 15 and 5 minutes before the end.")
                .withSummary(Markup.plain(headline) + (a == null ? "" : ": " + a.sshCommand()));
    }

    /** Jupyter's link; for a Jupyter reached through SSH, the {@code ssh -L} line first. */
    static String jupyter(ServerAccess a) {
        return a.jupyterTunnel().map(t -> "Jupyter, through SSH: ```" + t + "``` then " + Markup.link(a.jupyterUrl(), "open notebook"))
                .orElse("Jupyter: " + Markup.link(a.jupyterUrl(), "open notebook"));
    }

    private static Message reminder(Reservation r, Duration left, boolean last, Survival survival) {
        String text = ":alarm_clock: *" + r.id() + "* ends in " + Texts.duration(left)
                + (r.endsAt() == null ? "." : ", at " + Markup.time(r.endsAt()) + ".");
        String note = last ? "When it ends, the server is deleted. " + survival.text(r)
                : "Extend it if you need more time, or release it if you are done.";
        return message(text, buttons(r, false), note);
    }

    private static String ended(Reservation r) {
        String id = "*" + r.id() + "*";
        String why = detail(r);
        return switch (r.endReason()) {
            case EXPIRED -> ":checkered_flag: " + id + " has ended: " + why + ". The server was deleted.";
            case CANCELLED -> ":wastebasket: " + id + " was released (" + why + ").";
            case FAILED -> failed(id, r.detail());
            case REJECTED -> ":no_entry: " + id + " could not be placed: " + why + ".";
            case RECLAIMED_IDLE -> ":recycle: " + id + " was released because its GPUs sat idle while others waited (" + why + ").";
            case UNUSED -> ":recycle: " + id + " was released because nobody used it (" + why + ").";
            case null -> ":grey_question: " + id + " has ended.";
        };
    }

    private static Message message(String text, List<Button> buttons, String note) {
        return Message.of(text).withButtons(buttons).withNote(note);
    }

    /** The buttons a live reservation offers in lists and the Home tab. */
    public static List<Button> buttonsFor(Reservation r) {
        return r.state() == ReservationState.ACTIVE ? buttons(r, true) : List.of(cancelButton(r));
    }

    private static List<Button> buttons(Reservation r, boolean both) {
        String token = r.id().value() + "|" + r.extendedBy().toMinutes();
        List<Button> list = new ArrayList<>();
        list.add(Button.of(Actions.EXTEND_1H, "Extend +1h", token));
        if (both) {
            list.add(Button.of(Actions.EXTEND_4H, "Extend +4h", token));
        }
        list.add(cancelButton(r));
        return list;
    }

    private static Button cancelButton(Reservation r) {
        String label = r.state().holdsGpus() ? "Release" : "Cancel";
        return Button.of(Actions.CANCEL, label, r.id().value()).styled(Button.Style.DANGER)
                .confirming(new Button.Confirm(label + " " + r.id() + "?", r.state().holdsGpus()
                        ? "The server is deleted at once. Files outside your home volume and /shared are lost."
                        : "Your place in the queue is given up.", label, "Keep it"));
    }

    /** The reason, and the end of the server's log as a code block when the cluster sent one. */
    private static String failed(String id, String detail) {
        int at = detail.indexOf(ClusterListener.LOG_LINES);
        if (at < 0) {
            return ":x: " + id + " failed: " + escape(truncate(detail, 1000)) + ".";
        }
        String log = detail.substring(at + ClusterListener.LOG_LINES.length());
        return ":x: " + id + " failed: " + escape(truncate(detail.substring(0, at), 500)) + ". The end of its log:\n```"
                + escape(log.length() > 1500 ? "…" + log.substring(log.length() - 1500) : log) + "```";
    }

    /** Progress or the reason it ended, as the cluster or policy wrote it: escaped, and short enough for a block. */
    private static String detail(Reservation r) {
        return escape(truncate(r.detail(), 1000));
    }

    private static String nodes(Reservation r) {
        return r.nodes().isEmpty() ? "—" : String.join(", ", r.nodes().stream().map(Object::toString).toList());
    }

    /** Parses a button value {@code id|extendedMinutes}. */
    public static String[] token(String value) {
        return value.split("\\|", 2);
    }
}
