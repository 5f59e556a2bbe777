package dev.gpudev.scheduler.port;

import java.util.List;

/**
 * What {@code /gpu logs} shows: the server's start-up events (its pods' Kubernetes events, oldest first) and the end
 * of its log, rank 0's.
 *
 * @param events    one line per event: when, reason, message
 * @param lines     the last lines of the log, at most as many as asked for
 * @param truncated whether the log had more lines than those
 * @param note      what could not be read and why (empty: everything was)
 */
public record ServerLog(List<String> events, List<String> lines, boolean truncated, String note) {
    public ServerLog {
        events = List.copyOf(events);
        lines = List.copyOf(lines);
    }

    public static ServerLog unavailable(String why) {
        return new ServerLog(List.of(), List.of(), false, why);
    }
}
