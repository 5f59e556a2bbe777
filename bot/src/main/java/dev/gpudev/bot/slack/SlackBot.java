package dev.gpudev.bot.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;

import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.block.LayoutBlock;
import org.jspecify.annotations.Nullable;

import dev.gpudev.bot.views.CommandViews;
import dev.gpudev.bot.views.ReservationViews;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.service.ActionOutcome;
import dev.gpudev.scheduler.service.Lookup;
import dev.gpudev.scheduler.service.ReservationService;
import dev.gpudev.scheduler.service.ReserveOutcome;

/**
 * The {@code /gpu} command and the buttons. Acks at once; anything that may wait on the store, GitHub or the
 * cluster runs on {@code work} and answers through {@code respond} (ephemeral) or the owner's DM.
 */
public final class SlackBot {
    public static final String CANCEL_CONFIRMED = "cancel_confirmed";
    private static final System.Logger LOG = System.getLogger(SlackBot.class.getName());

    private final ReservationService service;
    private final GpuCatalog catalog;
    private final Set<UserId> admins;
    private final ExecutorService work;

    public SlackBot(ReservationService service, GpuCatalog catalog, Set<UserId> admins, ExecutorService work) {
        this.service = service;
        this.catalog = catalog;
        this.admins = Set.copyOf(admins);
        this.work = work;
    }

    public App register(App app, String command) {
        app.command(command, this::onCommand);
        app.blockAction(ReservationViews.CANCEL, (req, ctx) -> onCancel(req, ctx));
        app.blockAction(CANCEL_CONFIRMED, (req, ctx) -> onCancel(req, ctx));
        app.blockAction(ReservationViews.EXTEND_1H, (req, ctx) -> onExtend(req, ctx, Duration.ofHours(1)));
        app.blockAction(ReservationViews.EXTEND_4H, (req, ctx) -> onExtend(req, ctx, Duration.ofHours(4)));
        return app;
    }

    private Response onCommand(SlashCommandRequest req, SlashCommandContext ctx) {
        var p = req.getPayload();
        UserId user = new UserId(p.getUserId());
        Command cmd = CommandParser.parse(p.getText() == null ? "" : p.getText());
        boolean admin = admins.contains(user);
        return switch (cmd) {
            case Command.Reserve r when r.complete() -> {
                later(() -> reserve(user, r, "cmd:" + p.getTriggerId(), ctx));
                yield ctx.ack(":hourglass: Reserving " + r.gpus() + " × " + r.gpuType() + " for " + Durations.format(r.duration())
                        + "… I'll DM you as it moves.");
            }
            case Command.Reserve r -> ctx.ack(":information_source: A reservation needs a GPU type, a count and a duration: `"
                    + CommandParser.USAGE + "`");
            case Command.ListReservations l -> ctx.ack(CommandViews.list(
                    l.all() ? List.copyOf(service.state().live().values()) : service.history(user, 10),
                    service.clock().instant(), l.all()));
            case Command.Show s -> ctx.ack(switch (service.find(user, s.id(), true)) {
                case Lookup.Found(Reservation r) -> CommandViews.show(r, service.clock().instant());
                case Lookup.NotFound(String why) -> why;
                case Lookup.Ambiguous(List<Reservation> c) -> "Several match: " + ids(c);
            });
            case Command.Cancel c -> cancelCommand(user, c, admin, ctx);
            case Command.Extend e -> {
                later(() -> ctx.respond(text(service.extend(user, idOrOnly(user, e.id()), e.by(), admin))));
                yield ctx.ack();
            }
            case Command.Availability a -> ctx.ack(CommandViews.availability(catalog, service.state()));
            case Command.Queue q -> ctx.ack(CommandViews.queue(catalog, service.state()));
            case Command.Link l -> ctx.ack("GitHub linking is not configured on this bot; an admin can link you with `/gpu admin link @you <github-login>`.");
            case Command.Whoami w -> ctx.ack("You are <@" + user + ">." + (admin ? " You are an admin." : ""));
            case Command.Help h -> ctx.ack(CommandViews.help(catalog));
            case Command.Admin a -> admin ? ctx.ack(admin(a.action())) : ctx.ack(":lock: Only admins may use `/gpu admin`.");
            case Command.Invalid i -> ctx.ack(":warning: " + i.problem() + "\n`/gpu help` shows every command.");
        };
    }

    private void reserve(UserId user, Command.Reserve r, String key, SlashCommandContext ctx) throws Exception {
        switch (service.reserve(user, r, key)) {
            case ReserveOutcome.Accepted a -> {
            }
            case ReserveOutcome.Refused(String reason) -> ctx.respond(":no_entry: " + reason);
            case ReserveOutcome.Duplicate d -> {
            }
        }
    }

    private Response cancelCommand(UserId user, Command.Cancel c, boolean admin, SlashCommandContext ctx) {
        return switch (service.find(user, c.id(), admin)) {
            case Lookup.Found(Reservation r) when !r.owner().equals(user) && !admin -> ctx.ack(":lock: Reservation " + r.id() + " is not yours.");
            case Lookup.Found(Reservation r) when !r.live() -> ctx.ack(r.id() + " has already ended.");
            case Lookup.Found(Reservation r) -> ctx.ack(confirmCancel(r));
            case Lookup.NotFound(String why) -> ctx.ack(why);
            case Lookup.Ambiguous(List<Reservation> several) -> ctx.ack("Which one? " + ids(several) + " — e.g. `/gpu cancel " + several.getFirst().id() + "`");
        };
    }

    private static List<LayoutBlock> confirmCancel(Reservation r) {
        String what = r.state().holdsGpus() ? "Release" : "Cancel";
        return List.of(
                section(s -> s.text(markdownText(what + " `" + r.id() + "` (" + CommandViews.line(r, r.updatedAt(), false).substring(2) + ")?"))),
                actions(List.of(button(b -> b.actionId(CANCEL_CONFIRMED).text(plainText(what)).value(r.id().value()).style("danger")))));
    }

    private Response onCancel(BlockActionRequest req, ActionContext ctx) {
        UserId user = new UserId(req.getPayload().getUser().getId());
        String id = ReservationViews.token(req.getPayload().getActions().getFirst().getValue())[0];
        later(() -> ctx.respond(r -> r.responseType("ephemeral").replaceOriginal(false)
                .text(text(service.cancel(user, id, admins.contains(user))))));
        return ctx.ack();
    }

    private Response onExtend(BlockActionRequest req, ActionContext ctx, Duration by) {
        UserId user = new UserId(req.getPayload().getUser().getId());
        String[] token = ReservationViews.token(req.getPayload().getActions().getFirst().getValue());
        later(() -> {
            String answer;
            var found = service.find(user, token[0], true);
            if (found instanceof Lookup.Found(Reservation r) && token.length == 2 && !token[1].equals(String.valueOf(r.extendedBy().toMinutes()))) {
                answer = r.id() + " was already extended from another click; it now ends " + (r.endsAt() == null ? "later" : "at " + r.endsAt()) + ".";
            } else {
                answer = text(service.extend(user, token[0], by, admins.contains(user)));
            }
            ctx.respond(r -> r.responseType("ephemeral").replaceOriginal(false).text(answer));
        });
        return ctx.ack();
    }

    private String admin(Command.AdminAction action) {
        return switch (action) {
            case Command.AdminAction.Drain d -> {
                service.drain(new NodeName(d.node()), true);
                yield "Drained " + d.node() + ": nothing new starts there; running servers stay.";
            }
            case Command.AdminAction.Undrain u -> {
                service.drain(new NodeName(u.node()), false);
                yield "Undrained " + u.node() + ".";
            }
            case Command.AdminAction.ForceCancel f -> text(service.cancel(new UserId("admin"), f.id(), true));
            case Command.AdminAction.Broadcast b -> "Broadcast is not available yet.";
            case Command.AdminAction.LinkUser l -> "Linking by admins needs the GitHub integration (github.enabled).";
            case Command.AdminAction.Forget f -> "Nothing is cached for that user.";
        };
    }

    private String idOrOnly(UserId user, @Nullable String id) {
        if (id != null) {
            return id;
        }
        return service.find(user, null, false) instanceof Lookup.Found(Reservation r) ? r.id().value() : "";
    }

    private static String text(ActionOutcome outcome) {
        return switch (outcome) {
            case ActionOutcome.Done(Reservation r, String message) -> ":white_check_mark: " + message;
            case ActionOutcome.Refused(String reason) -> ":no_entry: " + reason;
        };
    }

    private static String ids(List<Reservation> rs) {
        return String.join(", ", rs.stream().map(r -> "`" + r.id() + "`").toList());
    }

    private interface Work {
        void run() throws Exception;
    }

    private void later(Work w) {
        work.execute(() -> {
            try {
                w.run();
            } catch (Exception e) {
                LOG.log(Level.ERROR, "Slack follow-up failed: " + e, e);
            }
        });
    }
}
