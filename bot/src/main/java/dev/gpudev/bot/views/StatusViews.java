package dev.gpudev.bot.views;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;
import static com.slack.api.model.view.Views.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.view.View;

import dev.gpudev.scheduler.app.Board;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.policy.Limits;

/** The queue-status message of the channel and the App Home tab. Pure functions. */
public final class StatusViews {
    public static final String OPEN_RESERVE = "open_reserve";
    /** Slack allows 50 blocks in a message and 100 in a Home tab; both views stay well inside. */
    static final int MAX_ROWS = 15;

    private StatusViews() {
    }

    public static ReservationViews.Message queueStatus(Board board) {
        Instant now = board.now();
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText("GPU servers: free now and waiting"))));
        blocks.add(section(s -> s.text(markdownText(Texts.truncate(CommandViews.availability(board), 2900)))));
        String queue = CommandViews.queue(board);
        blocks.add(section(s -> s.text(markdownText("*Queue*\n" + Texts.truncate(queue, 2800)))));
        List<Reservation> ending = board.endingFirst(5);
        if (!ending.isEmpty()) {
            blocks.add(section(s -> s.text(markdownText("*Next releases*\n" + ending.stream()
                    .map(r -> "• " + Texts.shape(r) + " on " + r.nodes().getFirst() + " at " + Texts.time(r.endsAt()))
                    .collect(Collectors.joining("\n"))))));
        }
        blocks.add(context(c -> c.elements(List.of(markdownText("Updated " + Texts.time(now) + " · `/gpu reserve h100 4 2h` to ask for GPUs")))));
        long queued = board.waiting();
        return new ReservationViews.Message("GPU queue: " + queued + " waiting", blocks);
    }

    public static View home(Board board, List<Reservation> mine, String identity) {
        Instant now = board.now();
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText("Your GPU servers"))));
        blocks.add(actions(List.of(button(b -> b.actionId(OPEN_RESERVE).text(plainText("Reserve GPUs")).style("primary").value("home")))));
        List<Reservation> live = mine.stream().filter(Reservation::live).limit(MAX_ROWS).toList();
        if (live.isEmpty()) {
            blocks.add(section(s -> s.text(markdownText("You have no reservations. `/gpu reserve h100 1 2h` or the button above starts one."))));
        }
        for (Reservation r : live) {
            blocks.add(section(s -> s.text(markdownText(Texts.truncate(CommandViews.line(r, now, false), 2900)))));
            blocks.add(actions(ReservationViews.buttonsFor(r)));
        }
        blocks.add(divider());
        blocks.add(header(h -> h.text(plainText("Free now"))));
        blocks.add(section(s -> s.text(markdownText(Texts.truncate(CommandViews.availability(board), 2900)))));
        blocks.add(divider());
        blocks.add(section(s -> s.text(markdownText(Texts.truncate(identity, 2900)))));
        return view(v -> v.type("home").blocks(blocks));
    }
}
