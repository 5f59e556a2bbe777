package dev.gpudev.bot.runtime;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.gpudev.bot.views.TerminalViews;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.port.Cluster;
import dev.gpudev.scheduler.port.Notifier;

/**
 * Shows each reminder inside the server too ({@code wall}), once: a reminder issued again for Slack's sake (its DM was
 * not delivered yet) is not written into the terminals again.
 */
public final class ServerWall implements Notifier {
    private final Cluster cluster;
    private final Set<String> shown = ConcurrentHashMap.newKeySet();

    public ServerWall(Cluster cluster) {
        this.cluster = cluster;
    }

    /** Notices go to {@code chat} first, then to the servers' terminals. */
    public static Notifier alongside(Notifier chat, Cluster cluster) {
        ServerWall wall = new ServerWall(cluster);
        return notice -> {
            chat.notify(notice);
            wall.notify(notice);
        };
    }

    @Override
    public void notify(Notice notice) {
        if (notice instanceof Notice.Reminder reminder && shown.add(key(reminder.reservation()))) {
            cluster.tell(reminder.reservation(), TerminalViews.reminder(reminder));
        }
        if (notice instanceof Notice.Ended) {
            shown.removeIf(k -> k.startsWith(notice.reservation().id() + " "));
        }
    }

    private static String key(Reservation r) {
        return r.id() + " " + r.endsAt() + " " + r.latestReminder().orElse(null);
    }
}
