package dev.gpudev.bot.discord;

import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

import net.dv8tion.jda.api.events.interaction.ModalInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.callbacks.IModalCallback;
import net.dv8tion.jda.api.interactions.callbacks.IReplyCallback;
import net.dv8tion.jda.api.interactions.modals.ModalMapping;
import net.dv8tion.jda.api.utils.data.DataObject;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import org.jspecify.annotations.Nullable;

import dev.gpudev.bot.conversation.Actions;
import dev.gpudev.bot.conversation.Button;
import dev.gpudev.bot.conversation.Conversation;
import dev.gpudev.bot.conversation.Message;
import dev.gpudev.bot.conversation.Reply;
import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.model.UserId;

/**
 * One listener method per kind of interaction, as Bolt has one registration per kind. Each checks where the
 * interaction comes from (this application, this guild or a DM; anything else is refused and changes nothing),
 * resolves the actor once, asks the {@link Conversation}, and answers within Discord's three seconds: at once, with a modal, or
 * deferred with the work after it on {@code work}. Every answer is ephemeral: only the asker sees it.
 */
final class DiscordInteractions extends ListenerAdapter {
    private static final System.Logger LOG = System.getLogger(DiscordInteractions.class.getName());
    static final String FOREIGN = ":lock: This bot answers only in its own Discord server and in its DMs; nothing changed.";
    /** As Slack's (SlackBot.BUSY): the work after acks is full, so nothing is taken. */
    static final String BUSY = ":warning: The bot is too busy to take this right now, so nothing changed. Try again in a minute.";

    private final long guild;
    private final Set<UserId> admins;
    private final Conversation answers;
    private final Executor work;
    private final BooleanSupplier serving;

    DiscordInteractions(long guild, Set<UserId> admins, Conversation answers, Executor work, BooleanSupplier serving) {
        this.guild = guild;
        this.admins = Set.copyOf(admins);
        this.answers = answers;
        this.work = work;
        this.serving = serving;
    }

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
        if (!admitted(event, raw(event.getRawData()))) {
            return;
        }
        Command command;
        try {
            command = DiscordCommands.read(event.getSubcommandGroup(), event.getSubcommandName() == null ? "" : event.getSubcommandName(),
                    name -> Optional.ofNullable(event.getOption(name)));
        } catch (IllegalArgumentException e) {
            command = new Command.Invalid(event.getCommandString(), e.getMessage());
        }
        answer(event, event, answers.command(actor(event), command, key(event)));
    }

    @Override
    public void onButtonInteraction(ButtonInteractionEvent event) {
        if (!admitted(event, raw(event.getRawData()))) {
            return;
        }
        Optional<DiscordViews.Press> press = DiscordViews.Press.of(event.getComponentId());
        if (press.isEmpty() || press.get().action().equals(DiscordViews.DISMISS)) {
            event.reply(press.isEmpty() ? ":warning: That button is not one of this bot's." : "Nothing changed.").setEphemeral(true).queue();
            return;
        }
        DiscordViews.Press p = press.get();
        if (p.ask()) {
            event.reply(DiscordViews.confirm(new Button(p.action(), confirmLabel(p.action()), p.value(), Button.Style.DANGER,
                    new Button.Confirm("Are you sure?", confirmText(p.action()), confirmLabel(p.action()), "Keep it")))).setEphemeral(true).queue();
            return;
        }
        // One button as drawn on one message, however often it is pressed or the press delivered (Slack's key, by id).
        String key = "discord:" + p.action() + ":" + event.getUser().getId() + ":" + event.getMessageId() + ":" + p.value();
        answer(event, event, answers.press(actor(event), p.action(), p.value(), key));
    }

    @Override
    public void onModalInteraction(ModalInteractionEvent event) {
        if (!admitted(event, raw(event.getRawData()))) {
            return;
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (ModalMapping m : event.getValues()) {
            values.put(m.getCustomId(), switch (m.getType()) {
                case TEXT_INPUT -> m.getAsString().isBlank() ? List.of() : List.of(m.getAsString());
                default -> m.getAsStringList();
            });
        }
        answer(event, null, answers.submit(actor(event), values, key(event)));
    }

    /** Foreign (another application or guild): answered, never acted on; while not leading: left to the leader. */
    private boolean admitted(IReplyCallback event, DataObject raw) {
        long app = raw.getUnsignedLong("application_id", 0);
        long from = raw.getUnsignedLong("guild_id", 0);
        if (app != event.getJDA().getSelfUser().getApplicationIdLong() || (from != 0 && from != guild)) {
            LOG.log(Level.WARNING, "refused a Discord interaction of application " + app + " in guild " + from);
            event.reply(DiscordViews.markdown(FOREIGN)).setEphemeral(true).queue();
            return false;
        }
        if (!serving.getAsBoolean()) {
            // Every replica holds a gateway session and may be sent the interaction: only the leader answers, or a
            // follower's instant reply would win the race and the leader's answer would be refused.
            LOG.log(Level.DEBUG, "not leading: left interaction " + event.getId() + " to the leader");
            return false;
        }
        return true;
    }

    private Actor actor(IReplyCallback event) {
        UserId user = DiscordUsers.user(event.getUser().getIdLong());
        return new Actor(user, admins.contains(user));
    }

    /** The delivery: Discord's interaction id, the same in a replay of the same interaction. */
    private static String key(IReplyCallback event) {
        return "discord:" + event.getId();
    }

    private static DataObject raw(@Nullable DataObject event) {
        if (event == null) {
            return DataObject.empty();
        }
        return event.optObject("d").orElse(event);
    }

    /** @param modal where a form may be opened (a command or a button), or null (a form's submission) */
    private void answer(IReplyCallback event, @Nullable IModalCallback modal, Reply reply) {
        switch (reply) {
            case Reply.Now now -> event.reply(DiscordViews.create(now.message())).setEphemeral(true).queue();
            case Reply.Open open when modal != null -> modal.replyModal(DiscordViews.modal(open.form())).queue();
            case Reply.Open open -> event.reply(DiscordViews.create(open.fallback())).setEphemeral(true).queue();
            case Reply.Invalid invalid -> event.reply(DiscordViews.create(invalid(invalid.errors()))).setEphemeral(true).queue();
            case Reply.Later later -> {
                // Taken on the pool before the ack, so that a full pool is answered "busy" at once, as on Slack; the
                // hook holds the work's follow-ups until Discord has the ack.
                if (!after(event.getHook(), later.work())) {
                    event.reply(DiscordViews.markdown(BUSY)).setEphemeral(true).queue();
                    return;
                }
                var ack = later.ack() == null ? event.deferReply(true) : event.reply(DiscordViews.create(later.ack())).setEphemeral(true);
                ack.queue(null, e -> LOG.log(Level.WARNING, "Discord did not take an answer: " + e));
            }
        }
    }

    /** Runs the work after the ack on {@code work}; each message it sends is an ephemeral follow-up. False: the pool is full. */
    private boolean after(InteractionHook hook, Reply.Work w) {
        try {
            work.execute(() -> {
                try {
                    w.run(m -> send(hook, DiscordViews.create(m)));
                } catch (Exception e) {
                    LOG.log(Level.ERROR, "Discord follow-up failed: " + e, e);
                    send(hook, MessageCreateData.fromContent(DiscordViews.markdown(":warning: Something went wrong on our side; nothing was lost. Try again.")));
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "the work after acks is full; refused a Discord interaction");
            return false;
        }
    }

    private static void send(InteractionHook hook, MessageCreateData m) {
        hook.sendMessage(m).setEphemeral(true).queue(null, e -> LOG.log(Level.WARNING, "Discord did not take a follow-up: " + e));
    }

    /** A modal cannot be shown again with errors: the errors, and a button that opens the form again. */
    private static Message invalid(Map<String, String> errors) {
        StringBuilder b = new StringBuilder(":warning: The form was not accepted, nothing was reserved:");
        errors.forEach((input, error) -> b.append("\n• *").append(input).append("*: ").append(error));
        return Message.of(b.toString()).withButtons(List.of(Button.of(Actions.OPEN_RESERVE, "Open the form again", "form")
                .styled(Button.Style.PRIMARY)));
    }

    private static String confirmLabel(String action) {
        return action.equals(Actions.CANCEL) || action.equals(Actions.CANCEL_CONFIRMED) ? "Yes, cancel it" : "Yes";
    }

    private static String confirmText(String action) {
        return action.equals(Actions.CANCEL) || action.equals(Actions.CANCEL_CONFIRMED)
                ? "A running server is deleted at once (files outside your home volume and /shared are lost); a queued request gives up its place."
                : action.equals(Actions.DISK_DELETE) ? "The disk's files are deleted now; its snapshots stay." : "";
    }
}
