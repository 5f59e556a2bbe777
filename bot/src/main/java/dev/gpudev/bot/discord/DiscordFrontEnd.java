package dev.gpudev.bot.discord;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import net.dv8tion.jda.api.JDA;
import org.jspecify.annotations.Nullable;

import dev.gpudev.bot.conversation.Conversation;
import dev.gpudev.bot.conversation.Message;
import dev.gpudev.bot.conversation.Outbox;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.port.DeliveryListener;
import dev.gpudev.scheduler.port.Notifier;

/**
 * The Discord front-end as the bot starts it: logs in (a bad token fails the start), registers {@code /gpu} on the
 * guild, and from {@link #serve} on answers interactions, edits the status message and sends DMs. Until then an
 * interaction is answered "starting", never acted on.
 */
public final class DiscordFrontEnd implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DiscordFrontEnd.class.getName());

    private final JDA jda;
    private final DiscordSettings settings;
    private final DiscordNotifier notifier;
    private final AtomicBoolean serving;
    private final @Nullable DiscordStatus status;

    private DiscordFrontEnd(JDA jda, DiscordSettings settings, DiscordNotifier notifier, AtomicBoolean serving, @Nullable DiscordStatus status) {
        this.jda = jda;
        this.settings = settings;
        this.notifier = notifier;
        this.serving = serving;
        this.status = status;
    }

    /**
     * @param noticeView how a notice reads (the conversation's reservation view)
     * @param statusView the queue-status message, from the current board
     * @param work       where the work after a deferral runs (never the gateway's thread)
     */
    public static DiscordFrontEnd start(DiscordSettings settings, GpuCatalog catalog, Conversation answers, Function<Notice, Message> noticeView,
                                        Supplier<Message> statusView, Executor work, ScheduledExecutorService timers)
            throws InterruptedException {
        AtomicBoolean serving = new AtomicBoolean();
        JDA jda = DiscordConnection.open(settings, new DiscordInteractions(settings.guild(), settings.admins(), answers, work, serving::get));
        DiscordCommands.register(jda, settings.guild(), DiscordCommands.definition(settings.command(), catalog));
        DiscordNotifier notifier = new DiscordNotifier(jda, noticeView, settings.deliveryAttempts(), settings.deliveryBackoff());
        DiscordStatus status = settings.statusChannel() == 0 ? null
                : new DiscordStatus(jda, settings.statusChannel(), statusView, settings.statusMinInterval(), timers);
        LOG.log(Level.INFO, "Discord: logged in as application " + jda.getSelfUser().getApplicationId() + ", /" + settings.command()
                + " registered on guild " + Long.toUnsignedString(settings.guild()));
        return new DiscordFrontEnd(jda, settings, notifier, serving, status);
    }

    /** The notifier for notices whose owner is a Discord user. */
    public Notifier notifier() {
        return notifier;
    }

    /** A DM to a Discord user (an admin's broadcast). */
    public Outbox outbox() {
        return (to, message) -> {
            long user = DiscordUsers.snowflake(to).orElseThrow(() -> new IllegalArgumentException(to + " is not a Discord user"));
            jda.openPrivateChannelById(user).flatMap(dm -> dm.sendMessage(DiscordViews.create(message))).complete();
        };
    }

    public void listen(DeliveryListener listener) {
        notifier.listen(listener);
    }

    /** Leading, with the scheduler started: act on interactions, and keep the status message. */
    public void serve() {
        serving.set(true);
        statusChanged();
    }

    /** Something the status message shows may have changed. */
    public void statusChanged() {
        if (status != null && serving.get()) {
            status.changed();
        }
    }

    public DiscordSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        serving.set(false);
        jda.shutdownNow();
        notifier.close();
    }
}
