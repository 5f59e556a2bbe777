package dev.gpudev.bot.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;
import static dev.gpudev.bot.slack.Replies.later;
import static dev.gpudev.bot.slack.Replies.text;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.model.block.LayoutBlock;
import org.jspecify.annotations.Nullable;

import dev.gpudev.bot.views.CommandViews;
import dev.gpudev.bot.views.ReserveModal;
import dev.gpudev.scheduler.app.ActionOutcome;
import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.app.Board;
import dev.gpudev.scheduler.app.Lookup;
import dev.gpudev.scheduler.app.Reservations;
import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.StoreUnavailableException;

/**
 * The {@code /gpu} command and the reserve form. Acks at once; anything that may wait on the store, GitHub or the
 * cluster runs on {@code work} and answers through {@code respond} (ephemeral) or the owner's DM.
 */
public final class SlackBot {
    public static final String CANCEL_CONFIRMED = "cancel_confirmed";
    private static final String STORAGE_DOWN = ":warning: The bot's storage did not answer, so nothing changed. Try again in a minute.";

    private final Reservations service;
    private final GpuCatalog catalog;
    private final Set<UserId> admins;
    private final Linking linking;
    private final ExecutorService work;

    public SlackBot(Reservations service, GpuCatalog catalog, Set<UserId> admins, Linking linking, ExecutorService work) {
        this.service = service;
        this.catalog = catalog;
        this.admins = Set.copyOf(admins);
        this.linking = linking;
        this.work = work;
    }

    public App register(App app, String command) {
        app.command(command, this::onCommand);
        app.viewSubmission(ReserveModal.CALLBACK, this::onReserveForm);
        new SlackButtons(service, catalog, admins, linking, work).register(app);
        return app;
    }

    /** Who asks: resolved once per request. */
    Actor actor(UserId user) {
        return new Actor(user, admins.contains(user));
    }

    private Response onCommand(SlashCommandRequest req, SlashCommandContext ctx) throws IOException, SlackApiException {
        var p = req.getPayload();
        UserId user = new UserId(p.getUserId());
        Command cmd = CommandParser.parse(p.getText() == null ? "" : p.getText());
        Actor actor = actor(user);
        boolean admin = actor.admin();
        return switch (cmd) {
            case Command.Reserve r when r.complete() -> {
                // Pure and fast, so the ack itself refuses what can never be placed; quota and access are checked after it.
                Optional<String> never = service.check(actor, r);
                if (never.isPresent()) {
                    yield ctx.ack(":no_entry: " + never.get());
                }
                later(work, () -> reserve(actor, r, delivery(p.getTriggerId()), ctx));
                yield ctx.ack(":hourglass: Reserving " + r.gpus() + " × " + r.gpuType() + " for " + Durations.format(r.duration())
                        + "… I'll DM you as it moves.");
            }
            case Command.Reserve r -> {
                var opened = ctx.client().viewsOpen(v -> v.triggerId(p.getTriggerId())
                        .view(ReserveModal.form(service.board(), r)));
                yield opened.isOk() ? ctx.ack() : ctx.ack(":information_source: A reservation needs a GPU type, a count and a duration: `"
                        + CommandParser.USAGE + "`");
            }
            case Command.ListReservations l -> {
                Board board = service.board();
                yield ctx.ack(CommandViews.list(l.all() ? board.live() : service.history(actor, 10), board.now(), l.all()));
            }
            case Command.Show s -> ctx.ack(switch (service.find(actor, s.id(), true)) {
                case Lookup.Found(Reservation r) -> CommandViews.show(r, service.board().now(), actor.owns(r));
                case Lookup.NotFound(String why) -> why;
                case Lookup.Ambiguous(List<Reservation> c) -> "Several match: " + Replies.ids(c) + ". Give more of the id.";
            });
            case Command.Cancel c -> cancel(actor, c.id(), ctx);
            case Command.Extend e -> {
                later(work, () -> ctx.respond(text(service.extend(actor, idOrOnly(actor, e.id()), e.by(), delivery(p.getTriggerId())))));
                yield ctx.ack();
            }
            case Command.Availability a -> ctx.ack(CommandViews.availability(service.board()));
            case Command.Queue q -> ctx.ack(CommandViews.queue(service.board()));
            case Command.Link l -> {
                later(work, () -> {
                    String key = delivery(p.getTriggerId());
                    if (key != null && service.claim("link:" + key, "").isPresent()) {
                        respond(ctx, ":information_source: Slack delivered `/gpu link` again; follow the link in my first answer.");
                    } else {
                        linking.start(user, prompt -> respond(ctx, prompt), done -> respond(ctx, done));
                    }
                });
                yield ctx.ack();
            }
            case Command.Whoami w -> {
                later(work, () -> ctx.respond(linking.whoami(user) + (admin ? "\nYou are an admin of this bot." : "")));
                yield ctx.ack();
            }
            case Command.Help h -> ctx.ack(CommandViews.help(catalog));
            case Command.Admin a when !admin -> ctx.ack(":lock: Only admins may use `/gpu admin`.");
            case Command.Admin a -> {
                later(work, () -> ctx.respond(once(delivery(p.getTriggerId()), () -> admin(actor, a.action(), ctx.client()))));
                yield ctx.ack();
            }
            case Command.Invalid i -> ctx.ack(":warning: " + i.problem() + "\n`/gpu help` shows every command.");
        };
    }

    /** A slash command's delivery: Slack's trigger id, the same in a retry or replay of the same request. */
    private static @Nullable String delivery(@Nullable String triggerId) {
        return triggerId == null || triggerId.isBlank() ? null : "cmd:" + triggerId;
    }

    /**
     * Runs a command that changes state outside one reservation (admin commands) once per delivery; a duplicate is
     * answered with what the first answered (or, while the first still runs, that it is being handled).
     */
    private String once(@Nullable String delivery, Supplier<String> command) {
        if (delivery == null) {
            return command.get();
        }
        String key = "admin:" + delivery;
        try {
            if (service.claim(key, "").isPresent()) {
                return service.claim(key + "#answer", "").filter(a -> !a.isEmpty())
                        .orElse(":information_source: Slack delivered this command again; it is handled once.");
            }
        } catch (StoreUnavailableException e) {
            return STORAGE_DOWN;
        }
        String answer = command.get();
        try {
            service.claim(key + "#answer", answer);
        } catch (StoreUnavailableException e) {
            // The command took effect; only a later duplicate's answer is less specific.
        }
        return answer;
    }

    private static void respond(SlashCommandContext ctx, String text) {
        try {
            ctx.respond(text);
        } catch (Exception e) {
            throw new IllegalStateException("could not answer through the response URL", e);
        }
    }

    private void reserve(Actor actor, Command.Reserve r, @Nullable String key, SlashCommandContext ctx) throws Exception {
        if (service.reserve(actor, r, key) instanceof ReserveOutcome.Refused(String reason)) {
            ctx.respond(":no_entry: " + reason);
        }
    }

    private Response onReserveForm(ViewSubmissionRequest req, ViewSubmissionContext ctx) {
        UserId user = new UserId(req.getPayload().getUser().getId());
        Actor actor = actor(user);
        return switch (ReserveModal.read(req.getPayload().getView().getState().getValues())) {
            case ReserveModal.Submission.Errors(var errors) -> ctx.ackWithErrors(errors);
            case ReserveModal.Submission.Ok(Command.Reserve r) when service.check(actor, r).isPresent() -> {
                String reason = service.check(actor, r).orElseThrow();
                yield ctx.ackWithErrors(Map.of(ReserveModal.blockFor(r, reason, service.board()), reason));
            }
            case ReserveModal.Submission.Ok(Command.Reserve r) -> {
                later(work, () -> {
                    if (service.reserve(actor, r, "view:" + req.getPayload().getView().getId()) instanceof ReserveOutcome.Refused(String reason)) {
                        ctx.client().chatPostMessage(m -> m.channel(user.value()).text(":no_entry: Your reservation was not accepted: " + reason));
                    }
                });
                yield ctx.ack();
            }
        };
    }

    private Response cancel(Actor actor, @Nullable String id, SlashCommandContext ctx) {
        return switch (service.find(actor, id, true)) {
            case Lookup.Found(Reservation r) when !actor.mayActOn(r) -> ctx.ack(":lock: Reservation " + r.id() + " is not yours.");
            case Lookup.Found(Reservation r) when !r.live() -> ctx.ack(r.id() + " has already ended.");
            case Lookup.Found(Reservation r) -> ctx.ack(confirmCancel(List.of(r), service));
            case Lookup.NotFound(String why) -> ctx.ack(why);
            case Lookup.Ambiguous(List<Reservation> several) -> ctx.ack(confirmCancel(several.stream()
                    .filter(actor::mayActOn).limit(20).toList(), service));
        };
    }

    /** One reservation: are you sure? Several: which one? Each with its own button. */
    private static List<LayoutBlock> confirmCancel(List<Reservation> rs, Reservations service) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText(rs.size() == 1 ? "Are you sure?" : "Which one?"))));
        for (Reservation r : rs) {
            String what = r.state().holdsGpus() ? "Release" : "Cancel";
            blocks.add(section(s -> s.text(markdownText(CommandViews.line(r, service.board().now(), false)))));
            blocks.add(actions(List.of(button(b -> b.actionId(CANCEL_CONFIRMED).text(plainText(what + " " + r.id()))
                    .value(r.id().value()).style("danger")))));
        }
        return blocks;
    }

    private String admin(Actor actor, Command.AdminAction action, MethodsClient slack) {
        try {
            return switch (action) {
                case Command.AdminAction.Drain d -> plain(service.drain(actor, new NodeName(d.node()), true));
                case Command.AdminAction.Undrain u -> plain(service.drain(actor, new NodeName(u.node()), false));
                case Command.AdminAction.ForceCancel f -> text(service.cancel(actor, f.id(), null));
                case Command.AdminAction.Broadcast b -> {
                    var owners = service.board().live().stream().map(Reservation::owner).distinct().toList();
                    for (UserId o : owners) {
                        slack.chatPostMessage(m -> m.channel(o.value()).text(":mega: From the GPU admins: " + b.text()));
                    }
                    yield "Sent to " + owners.size() + " people with live reservations.";
                }
                case Command.AdminAction.LinkUser l -> linking.adminLink(Replies.user(l.user()), new GithubLogin(l.login()));
                case Command.AdminAction.Forget f -> linking.forget(Replies.user(f.user()));
            };
        } catch (IllegalArgumentException e) {
            return ":warning: " + e.getMessage();
        } catch (StoreUnavailableException e) {
            return STORAGE_DOWN;
        } catch (IOException | SlackApiException e) {
            return ":warning: Slack did not take the broadcast: " + e.getMessage();
        }
    }

    /** An admin's drain answers in plain words, as before. */
    private static String plain(ActionOutcome outcome) {
        return outcome instanceof ActionOutcome.Refused(String reason) ? ":no_entry: " + reason : outcome.message();
    }

    private String idOrOnly(Actor actor, @Nullable String id) {
        if (id != null) {
            return id;
        }
        return service.find(actor, null, false) instanceof Lookup.Found(Reservation r) ? r.id().value() : "";
    }
}
