package dev.gpudev.bot.pictures;

import java.time.Instant;
import java.util.List;

/**
 * What the occupancy timeline shows: one row per node (a lane per GPU), a row per queued request, over {@code [from, to)}
 * with a line at {@code now}.
 */
public record Timeline(String title, Instant from, Instant to, Instant now, List<Row> nodes, List<Bar> queued) {
    public Timeline {
        nodes = List.copyOf(nodes);
        queued = List.copyOf(queued);
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("a timeline needs a window: " + from + " .. " + to);
        }
    }

    /** A node: {@code gpus} lanes, and the bars of what held (or will hold) its GPUs. */
    public record Row(String label, int gpus, List<Bar> bars) {
        public Row {
            bars = List.copyOf(bars);
        }
    }

    /** @param gpus lanes the bar covers on its node (1 on a queue row) */
    public record Bar(Instant from, Instant to, int gpus, String label, Kind kind) {
    }

    /** How a bar is drawn. {@code BOOKED}: a booking not yet started, on its nodes from its start. */
    public enum Kind {
        MINE, OTHERS, QUEUED, MINE_QUEUED, BOOKED
    }
}
