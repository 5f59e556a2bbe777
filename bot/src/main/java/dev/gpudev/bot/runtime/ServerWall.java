package dev.gpudev.bot.runtime;

import dev.gpudev.bot.conversation.Survival;
import dev.gpudev.bot.conversation.TerminalViews;
import dev.gpudev.scheduler.delivery.Echoes;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.port.Cluster;
import dev.gpudev.scheduler.port.Notifier;

/**
 * Shows each reminder inside the server too ({@code wall}), once: a reminder issued again for Slack's sake (its DM was
 * not delivered yet) is not written into the terminals again.
 */
public final class ServerWall implements Notifier {
    private final Cluster cluster;
    private final Survival survival;
    private final Echoes echoes = new Echoes();

    public ServerWall(Cluster cluster) {
        this(cluster, Survival.DEFAULTS);
    }

    public ServerWall(Cluster cluster, Survival survival) {
        this.cluster = cluster;
        this.survival = survival;
    }

    /** Notices go to {@code chat} first, then to the servers' terminals. */
    public static Notifier alongside(Notifier chat, Cluster cluster) {
        return alongside(chat, cluster, Survival.DEFAULTS);
    }

    /** @param survival what outlives a server on this cluster, for the last reminder */
    public static Notifier alongside(Notifier chat, Cluster cluster, Survival survival) {
        ServerWall wall = new ServerWall(cluster, survival);
        return notice -> {
            chat.notify(notice);
            wall.notify(notice);
        };
    }

    @Override
    public void notify(Notice notice) {
        if (echoes.first(notice) && notice instanceof Notice.Reminder reminder) {
            cluster.tell(reminder.reservation(), TerminalViews.reminder(reminder, survival));
        }
    }
}
