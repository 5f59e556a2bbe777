package dev.gpudev.bot.conversation;

import static dev.gpudev.bot.conversation.Markup.truncate;

import java.util.List;
import java.util.stream.Collectors;

import dev.gpudev.scheduler.app.Board;
import dev.gpudev.scheduler.model.Reservation;

/** The channel's queue-status message and the person's own page (Slack's App Home). Pure functions. */
public final class StatusViews {
    /** Rows of reservations a page shows; with their buttons both views stay far inside every platform's limits. */
    static final int MAX_ROWS = 15;

    private StatusViews() {
    }

    public static Message queueStatus(Board board) {
        Message m = Message.of(truncate(CommandViews.availability(board), 2900)).withHeading("GPU servers: free now and waiting")
                .withItem(new Message.Item("*Queue*\n" + truncate(CommandViews.queue(board), 2800), List.of()));
        List<Reservation> ending = board.endingFirst(5);
        if (!ending.isEmpty()) {
            m = m.withItem(new Message.Item("*Next releases*\n" + ending.stream()
                    .map(r -> "• " + Texts.shape(r) + " on " + r.nodes().getFirst() + " at " + Markup.time(r.endsAt()))
                    .collect(Collectors.joining("\n")), List.of()));
        }
        return m.withNote("Updated " + Markup.time(board.now()) + " · `/gpu reserve h100 4 2h` to ask for GPUs")
                .withSummary("GPU queue: " + board.waiting() + " waiting");
    }

    /** What changes the queue-status message: when it is the same, the message is not edited. */
    public static String queueSummary(Board board) {
        return CommandViews.availability(board) + "\n" + CommandViews.queue(board);
    }

    /** @param mine the reader's reservations, newest first; @param identity who the reader is on GitHub */
    public static Message home(Board board, List<Reservation> mine, String identity) {
        Message m = Message.of("").withHeading("Your GPU servers")
                .withButtons(List.of(Button.of(Actions.OPEN_RESERVE, "Reserve GPUs", "home").styled(Button.Style.PRIMARY)));
        List<Reservation> live = mine.stream().filter(Reservation::live).limit(MAX_ROWS).toList();
        if (live.isEmpty()) {
            m = m.withItem(new Message.Item("You have no reservations. `/gpu reserve h100 1 2h` or the button above starts one.", List.of()));
        }
        for (Reservation r : live) {
            m = m.withItem(new Message.Item(truncate(CommandViews.line(r, board.now(), false), 2900), ReservationViews.buttonsFor(r)));
        }
        return m.withItem(new Message.Item("*Free now*\n" + truncate(CommandViews.availability(board), 2900), List.of()))
                .withItem(new Message.Item(truncate(identity, 2900), List.of()))
                .withSummary("Your GPU servers");
    }
}
