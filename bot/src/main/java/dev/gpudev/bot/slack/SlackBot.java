package dev.gpudev.bot.slack;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import com.slack.api.bolt.App;
import com.slack.api.bolt.context.Context;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.model.event.AppHomeOpenedEvent;
import com.slack.api.webhook.WebhookResponse;
import org.jspecify.annotations.Nullable;

import dev.gpudev.bot.conversation.Actions;
import dev.gpudev.bot.conversation.Conversation;
import dev.gpudev.bot.conversation.Markup;
import dev.gpudev.bot.conversation.Message;
import dev.gpudev.bot.conversation.NotifyViews;
import dev.gpudev.bot.conversation.Outbox;
import dev.gpudev.bot.conversation.Reply;
import dev.gpudev.bot.conversation.TimeZones;
import dev.gpudev.bot.discord.DiscordUsers;
import dev.gpudev.bot.conversation.ReserveForm;
import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.model.UserId;

/**
 * Slack's side of the {@link Conversation}: the {@code /gpu} command, the buttons, the reserve form and the App Home
 * tab. Each request is answered within its ack; the work after an ack goes to {@code afterAck} (bounded, and never the
 * request's thread), and its answers go back through the response URL (a form's: a DM).
 */
public final class SlackBot {
    private static final System.Logger LOG = System.getLogger(SlackBot.class.getName());
    static final String BUSY = ":warning: The bot is too busy to take this right now, so nothing changed. Try again in a minute.";

    private final Conversation conversation;
    private final Set<UserId> admins;
    private final Executor afterAck;

    public SlackBot(Conversation conversation, Set<UserId> admins, Executor afterAck) {
        this.conversation = conversation;
        this.admins = Set.copyOf(admins);
        this.afterAck = afterAck;
    }

    /** Direct messages as Slack sends them: to the user's DM with the bot (opened first, as the notifier does). */
    public static Outbox outbox(MethodsClient slack) {
        return (to, m) -> {
            var open = slack.conversationsOpen(o -> o.users(List.of(to.value())));
            check(open.getError());
            String dm = open.getChannel().getId();
            check(slack.chatPostMessage(p -> BlockKit.textOnly(m) ? p.channel(dm).text(BlockKit.slack(m.text()))
                    : p.channel(dm).text(BlockKit.slack(m.summary())).blocks(BlockKit.blocks(m))).getError());
            SlackFiles.share(slack, dm, m); // the DM is open: no second conversations.open for the file
        };
    }

    public App register(App app, String command) {
        app.command(command, this::onCommand);
        app.viewSubmission(ReserveForm.ID, this::onReserveForm);
        for (String action : Stream.concat(Stream.of(Actions.CANCEL, Actions.CANCEL_CONFIRMED, Actions.EXTEND_1H, Actions.EXTEND_4H,
                Actions.OPEN_RESERVE, Actions.BOOKING_USED, Actions.IDLE_KEEP, Actions.IDLE_RELEASE,
                Actions.LIST_PAGE, Actions.CANCEL_ALL, Actions.EXTEND_PICK, Actions.DISK_DELETE), NotifyViews.ACTIONS.stream()).toList()) {
            app.blockAction(action, this::onButton);
        }
        app.event(AppHomeOpenedEvent.class, (event, ctx) -> {
            if (event.getEvent().getUser() != null) {
                Actor actor = actor(event.getEvent().getUser());
                run(() -> ctx.client().viewsPublish(p -> p.userId(actor.user().value()).view(BlockKit.home(conversation.home(actor)))));
            }
            return ctx.ack();
        });
        return app;
    }

    /** Who asks, once per request: the Slack user, and whether the bot's Slack admins include them. */
    private Actor actor(String slackUser) {
        UserId user = new UserId(slackUser);
        return new Actor(user, admins.contains(user));
    }

    private Response onCommand(SlashCommandRequest req, SlashCommandContext ctx) throws IOException, SlackApiException {
        var p = req.getPayload();
        Reply reply = conversation.command(actor(p.getUserId()), CommandParser.parse(p.getText() == null ? "" : p.getText()),
                delivery(p.getTriggerId()));
        UserId asker = new UserId(p.getUserId());
        return answer(reply, ctx, p.getTriggerId(), m -> {
            if (m.attachment() != null) {
                run(() -> SlackFiles.shareWith(ctx.client(), asker, m));
            }
            return BlockKit.textOnly(m) ? ctx.ack(BlockKit.slack(m.text())) : ctx.ack(r -> r.text(BlockKit.slack(m.summary())).blocks(BlockKit.blocks(m)));
        }, m -> {
            sent(() -> BlockKit.textOnly(m) ? ctx.respond(BlockKit.slack(m.text()))
                    : ctx.respond(r -> r.text(BlockKit.slack(m.summary())).blocks(BlockKit.blocks(m))));
            share(ctx.client(), asker, m);
        });
    }

    private Response onButton(BlockActionRequest req, ActionContext ctx) throws IOException, SlackApiException {
        var p = req.getPayload();
        var action = p.getActions().getFirst();
        Reply reply = conversation.press(actor(p.getUser().getId()), action.getActionId(), String.valueOf(action.getValue()), key(req));
        Consumer<Message> respond = m -> {
            sent(() -> ctx.respond(r -> {
                var b = r.responseType("ephemeral").replaceOriginal(false);
                return BlockKit.textOnly(m) ? b.text(BlockKit.slack(m.text())) : b.text(BlockKit.slack(m.summary())).blocks(BlockKit.blocks(m));
            }));
            share(ctx.client(), new UserId(p.getUser().getId()), m);
        };
        // A button's ack carries no message: an answer at once goes through the response URL too, after the ack.
        return answer(reply, ctx, p.getTriggerId(), m -> {
            later(r -> r.accept(m), respond);
            return ctx.ack();
        }, respond);
    }

    private Response onReserveForm(ViewSubmissionRequest req, ViewSubmissionContext ctx) {
        var p = req.getPayload();
        Actor actor = actor(p.getUser().getId());
        return switch (conversation.submit(actor, BlockKit.values(p.getView().getState().getValues()), "view:" + p.getView().getId())) {
            case Reply.Invalid(var errors) -> ctx.ackWithErrors(errors);
            case Reply.Later(var ack, var work) -> later(work, m -> dm(ctx.client(), actor.user(), m))
                    ? ctx.ack() : ctx.ackWithErrors(Map.of(ReserveForm.GPUS, Markup.plain(BUSY)));
            case Reply.Now(Message m) -> {
                later(r -> r.accept(m), said -> dm(ctx.client(), actor.user(), said));
                yield ctx.ack();
            }
            case Reply.Open o -> ctx.ack();
        };
    }

    /**
     * @param ack     acknowledges with a message
     * @param respond sends a message after the ack, to the asker
     */
    private Response answer(Reply reply, Context ctx, @Nullable String triggerId, Function<Message, Response> ack,
                            Consumer<Message> respond) throws IOException, SlackApiException {
        return switch (reply) {
            case Reply.Now(Message m) -> ack.apply(m);
            case Reply.Later(var first, var work) -> !later(work, respond) ? ack.apply(Message.of(BUSY))
                    : first == null ? ctx.ack() : ack.apply(first);
            case Reply.Open(var form, var fallback) -> {
                var opened = ctx.client().viewsOpen(v -> v.triggerId(triggerId).view(BlockKit.modal(form)));
                yield opened.isOk() ? ctx.ack() : ack.apply(fallback);
            }
            case Reply.Invalid(var errors) -> ack.apply(Message.of(":warning: " + String.join(" ", errors.values())));
        };
    }

    /** Hands work to the executor after the ack; false when it is full (the ack then says so, and nothing ran). */
    private boolean later(Reply.Work work, Consumer<Message> reply) {
        try {
            afterAck.execute(() -> {
                try {
                    work.run(reply);
                } catch (Exception e) {
                    LOG.log(Level.ERROR, "Slack follow-up failed: " + e, e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "the work after acks is full; refused a request");
            return false;
        }
    }

    private void run(Call call) {
        later(reply -> call.run(), m -> { });
    }

    private interface Call {
        void run() throws Exception;
    }

    private interface Respond {
        WebhookResponse send() throws Exception;
    }

    /** Sends through the response URL; a failure reaches the executor's log. */
    private static void sent(Respond respond) {
        try {
            WebhookResponse r = respond.send();
            if (r.getCode() >= 300) {
                throw new IllegalStateException("Slack answered HTTP " + r.getCode());
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not answer through the response URL", e);
        }
    }

    /** A message's file, after its text: into the asker's DM (an answer is ephemeral, a file cannot be). */
    private static void share(MethodsClient slack, UserId user, Message m) {
        try {
            SlackFiles.shareWith(slack, user, m);
        } catch (Exception e) {
            throw new IllegalStateException("could not upload a file", e);
        }
    }

    private static void dm(MethodsClient slack, UserId user, Message m) {
        try {
            outbox(slack).send(user, m);
        } catch (Exception e) {
            throw new IllegalStateException("could not send a DM", e);
        }
    }

    private static void check(@Nullable String error) {
        if (error != null) {
            throw new IllegalStateException("Slack answered " + error);
        }
    }

    /** A slash command's delivery: Slack's trigger id, the same in a retry or replay of the same request. */
    private static @Nullable String delivery(@Nullable String triggerId) {
        return triggerId == null || triggerId.isBlank() ? null : "cmd:" + triggerId;
    }

    /**
     * One button as drawn on one message, however often it is clicked and Slack delivers the click. A message updated
     * in place draws new buttons with new values (the extension total), so its next click is a new one.
     */
    static String key(BlockActionRequest req) {
        var p = req.getPayload();
        var action = p.getActions().getFirst();
        var c = p.getContainer();
        String where = c != null && c.getMessageTs() != null ? c.getChannelId() + ":" + c.getMessageTs()
                : c != null && c.getViewId() != null ? c.getViewId() : "action:" + action.getActionTs();
        return action.getActionId() + ":" + p.getUser().getId() + ":" + where + ":" + action.getValue();
    }

    /** Each Slack user's zone from {@code users.info} ({@code tz}); a Discord user, or a failed look-up, is UTC. */
    public static TimeZones timeZones(MethodsClient web) {
        return new TimeZones(user -> {
            if (DiscordUsers.isDiscord(user)) {
                return Optional.empty();
            }
            try {
                var info = web.usersInfo(r -> r.user(user.value()));
                return info.isOk() && info.getUser() != null && info.getUser().getTz() != null
                        ? Optional.of(ZoneId.of(info.getUser().getTz())) : Optional.empty();
            } catch (IOException | SlackApiException | DateTimeException e) {
                return Optional.empty();
            }
        });
    }
}
