package dev.gpudev.bot.slack;

import static dev.gpudev.bot.slack.Replies.later;
import static dev.gpudev.bot.slack.Replies.text;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;

import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.methods.MethodsClient;
import com.slack.api.model.event.AppHomeOpenedEvent;
import org.jspecify.annotations.Nullable;

import dev.gpudev.bot.views.ReservationViews;
import dev.gpudev.bot.views.ReserveModal;
import dev.gpudev.bot.views.StatusViews;
import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.app.Reservations;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.UserId;

/**
 * Buttons and the App Home tab. Every button checks who pressed it: the owner acts, an admin may act on any
 * reservation, anybody else hears "not yours" and nothing changes (the service checks again).
 */
final class SlackButtons {
    private final Reservations service;
    private final GpuCatalog catalog;
    private final Set<UserId> admins;
    private final Linking linking;
    private final ExecutorService work;

    SlackButtons(Reservations service, GpuCatalog catalog, Set<UserId> admins, Linking linking, ExecutorService work) {
        this.service = service;
        this.catalog = catalog;
        this.admins = admins;
        this.linking = linking;
        this.work = work;
    }

    void register(App app) {
        app.blockAction(ReservationViews.CANCEL, this::onCancel);
        app.blockAction(SlackBot.CANCEL_CONFIRMED, this::onCancel);
        app.blockAction(ReservationViews.EXTEND_1H, (req, ctx) -> onExtend(req, ctx, Duration.ofHours(1)));
        app.blockAction(ReservationViews.EXTEND_4H, (req, ctx) -> onExtend(req, ctx, Duration.ofHours(4)));
        app.blockAction(StatusViews.OPEN_RESERVE, (req, ctx) -> {
            ctx.client().viewsOpen(v -> v.triggerId(req.getPayload().getTriggerId()).view(ReserveModal.form(service.board(),
                    new Command.Reserve(null, null, null, false, List.of(), null, null))));
            return ctx.ack();
        });
        app.event(AppHomeOpenedEvent.class, (event, ctx) -> {
            if (event.getEvent().getUser() == null) {
                return ctx.ack();
            }
            UserId user = new UserId(event.getEvent().getUser());
            later(work, () -> publishHome(ctx.client(), user));
            return ctx.ack();
        });
    }

    void publishHome(MethodsClient slack, UserId user) throws Exception {
        var view = StatusViews.home(service.board(), service.history(actor(user), 20), linking.whoami(user));
        slack.viewsPublish(p -> p.userId(user.value()).view(view));
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

    private Actor presser(BlockActionRequest req) {
        return actor(new UserId(req.getPayload().getUser().getId()));
    }

    private Actor actor(UserId user) {
        return new Actor(user, admins.contains(user));
    }

    private Response onCancel(BlockActionRequest req, ActionContext ctx) {
        Actor actor = presser(req);
        var action = req.getPayload().getActions().getFirst();
        String id = ReservationViews.token(String.valueOf(action.getValue()))[0];
        later(work, () -> ctx.respond(r -> r.responseType("ephemeral").replaceOriginal(false)
                .text(text(service.cancel(actor, id, key(req))))));
        return ctx.ack();
    }

    /**
     * The button carries the extension total it was drawn with: a click on a button drawn before the last extension
     * (another click, another message) extends nothing. The service decides that under its lock, with the claim.
     */
    private Response onExtend(BlockActionRequest req, ActionContext ctx, Duration by) {
        Actor actor = presser(req);
        String[] token = ReservationViews.token(String.valueOf(req.getPayload().getActions().getFirst().getValue()));
        @Nullable Duration drawnWith = token.length == 2 && token[1].matches("\\d{1,9}") ? Duration.ofMinutes(Long.parseLong(token[1])) : null;
        later(work, () -> {
            String answer = text(service.extend(actor, token[0], by, key(req), drawnWith));
            ctx.respond(r -> r.responseType("ephemeral").replaceOriginal(false).text(answer));
        });
        return ctx.ack();
    }
}
