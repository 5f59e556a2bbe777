package dev.gpudev.bot.conversation;

import java.time.Duration;
import java.util.Locale;

import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.model.Reservation;

/** Small text pieces shared by the views. */
public final class Texts {
    private Texts() {
    }

    /** {@code 4 × H100}, or {@code 2 × 8 H100} across nodes. */
    public static String shape(Reservation r) {
        String type = r.gpuType().toUpperCase(Locale.ROOT);
        return r.nodes().size() > 1 ? r.nodes().size() + " × " + r.gpusPerNode() + " " + type : r.gpus() + " × " + type;
    }

    public static String duration(Duration d) {
        return Durations.format(d);
    }
}
