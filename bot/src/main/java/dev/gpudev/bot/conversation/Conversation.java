package dev.gpudev.bot.conversation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.app.ActionOutcome;
import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.app.Board;
import dev.gpudev.scheduler.app.Idle;
import dev.gpudev.scheduler.app.Disks;
import dev.gpudev.scheduler.app.Lookup;
import dev.gpudev.scheduler.app.Reservations;
import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.StoreUnavailableException;

/**
 * The bot's side of a conversation, the same on every platform: a command, a button press or a reserve-form
 * submission, with the {@link Actor} the platform resolved, becomes a use-case call; its outcome becomes a {@link Reply}.
 * Only what is pure and fast happens before the acknowledgement (parsing, the board, the ack-time check); whatever may
 * wait on the store, GitHub or the cluster is {@link Reply.Later} work. Keys name a delivery (the same in a retry of it),
 * so a second delivery takes effect once.
 */
public final class Conversation {
    static final String STORAGE_DOWN = ":warning: The bot's storage did not answer, so nothing changed. Try again in a minute.";
    /** A Slack mention or id, or a namespaced id such as a Discord user's {@code discord:123…}. */
    /** Bare Slack ids start with U or W (the sandbox's are short: {@code U0BO}); a word such as {@code @ANA} is no id. */
    private static final Pattern MENTION = Pattern.compile("<@([A-Za-z0-9]+|[a-z]+:[0-9]+)(?:\\|[^>]*)?>|@?([UW][A-Z0-9]*[0-9][A-Z0-9]*|[A-Z0-9]{6,}|[a-z]+:[0-9]+)");
    /** An instant as the engine writes it into an answer ({@code Instant.toString()}). */
    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(?::\\d\\d(?:\\.\\d{1,9})?)?Z");

    private final Reservations reservations;
    private final Linking linking;
    private final Outbox outbox;
    private final TimeZones zones;
    private final @Nullable NotifyViews notify;
    private final @Nullable UsageViews usage;
    private final Idle idle;
    private final ServerConversation servers;
    private final Disks disks;

    public Conversation(Reservations reservations, Linking linking, Outbox outbox) {
        this(reservations, linking, outbox, TimeZones.UTC, null, null, Idle.NONE, Disks.none());
    }

    /**
     * @param zones  each user's time zone, for bookings
     * @param notify {@code /gpu notify}; null: not offered on this bot
     * @param usage  {@code /gpu usage} and {@code /gpu timeline}; null: not offered on this bot
     * @param idle   the idle policy's question and exemptions
     * @param disks  {@code /gpu disk} and {@code --disk}: the users' disks on the cluster
     */
    public Conversation(Reservations reservations, Linking linking, Outbox outbox, TimeZones zones, @Nullable NotifyViews notify,
                        @Nullable UsageViews usage, Idle idle, Disks disks) {
        this.zones = zones;
        this.reservations = reservations;
        this.servers = new ServerConversation(reservations);
        this.linking = linking;
        this.outbox = outbox;
        this.notify = notify;
        this.usage = usage;
        this.idle = idle;
        this.disks = disks;
    }

    /** @param key the delivery (a slash command's trigger), or null when the platform has none */
    public Reply command(Actor actor, Command command, @Nullable String key) {
        return switch (command) {
            case Command.Reserve r when r.complete() && r.at() != null -> BookingViews.book(reservations, zones, disks, actor, r, key);
            case Command.Bookings b -> new Reply.Now(BookingViews.list(reservations.board(), actor, b.gpuType(), zones.of(actor.user())));
            case Command.Reserve r when r.complete() -> reservations.check(actor, r).or(() -> DiskViews.ackRefusal(disks, r.disk()))
                    .<Reply>map(why -> now(":no_entry: " + why))
                    .orElseGet(() -> new Reply.Later(Message.of(":hourglass: Reserving " + r.gpus() + " × " + r.gpuType() + " for "
                            + Durations.format(r.duration()) + "… I'll DM you as it moves."), reply -> {
                        Optional<String> diskRefused = DiskViews.mountRefusal(disks, actor, r.disk());
                        if (diskRefused.isPresent()) {
                            reply.accept(Message.of(":no_entry: Not reserved: " + diskRefused.get()));
                        } else if (reservations.reserve(actor, r, key) instanceof ReserveOutcome.Refused(String reason)) {
                            reply.accept(Message.of(":no_entry: " + reason));
                        }
                    }));
            case Command.Reserve r -> new Reply.Open(ReserveForm.form(reservations.board(), r),
                    Message.of(":information_source: A reservation needs a GPU type, a count and a duration: `" + CommandParser.USAGE + "`"));
            case Command.ListReservations l when l.all() && l.states().isEmpty() -> {
                Board board = reservations.board();
                yield now(CommandViews.list(board.live(), board.now(), true));
            }
            case Command.ListReservations l when l.all() -> {
                Board board = reservations.board();
                yield now(CommandViews.list(board.live().stream().filter(r -> l.states().contains(r.state())).toList(), board.now(), true));
            }
            case Command.ListReservations l -> servers.list(actor, l);
            case Command.Logs l -> servers.logs(actor, l);
            case Command.Edit e -> servers.edit(actor, e);
            case Command.SshConfig c -> servers.sshConfig(actor);
            case Command.CancelAll c -> servers.cancelAll(actor);
            case Command.Show s -> now(switch (reservations.find(actor, s.id(), true)) {
                case Lookup.Found(Reservation r) -> CommandViews.show(r, reservations.now(), actor.owns(r)) + IdleViews.shown(r, reservations.now());
                case Lookup.NotFound(String why) -> why;
                case Lookup.Ambiguous(List<Reservation> c) -> "Several match: " + ids(c) + ". Give more of the id.";
            });
            case Command.Cancel c -> new Reply.Now(cancel(actor, c.id()));
            case Command.Extend e when servers.extendPicker(actor, e).isPresent() -> servers.extendPicker(actor, e).get();
            case Command.Extend e -> later(reply -> reply.accept(outcome(reservations.extend(actor, idOrOnly(actor, e.id()), e.by(), key))));
            case Command.Availability a -> now(CommandViews.availability(reservations.board()));
            case Command.Queue q -> now(CommandViews.queue(reservations.board()));
            case Command.Link l -> later(reply -> {
                if (key != null && reservations.claim("link:" + key, "").isPresent()) {
                    reply.accept(Message.of(":information_source: This `/gpu link` arrived twice; follow the link in my first answer."));
                } else {
                    linking.start(actor.user(), prompt -> reply.accept(Message.of(prompt)), done -> reply.accept(Message.of(done)));
                }
            });
            case Command.Whoami w -> later(reply -> reply.accept(Message.of(linking.whoami(actor.user())
                    + (actor.admin() ? "\nYou are an admin of this bot." : ""))));
            case Command.Help h -> now(CommandViews.help(reservations.board()) + IdleViews.help(idle.policy()));
            case Command.Admin a when !actor.admin() -> now(":lock: Only admins may use `/gpu admin`.");
            case Command.Admin a -> later(reply -> reply.accept(Message.of(once(key, () -> admin(actor, a.action())))));
            case Command.Notify n -> notify == null ? now(":warning: `/gpu notify` is not offered on this bot.") : notify.command(actor, n.action());
            case Command.Usage u -> usage == null ? now(":warning: `/gpu usage` is not offered on this bot.") : usage.usage(actor, u);
            case Command.Timeline t -> usage == null ? now(":warning: `/gpu timeline` is not offered on this bot.") : usage.timeline(actor, t);
            case Command.Disk d -> DiskViews.command(disks, reservations, actor, d.action(), key);
            case Command.Invalid i -> now(":warning: " + i.problem() + "\n`/gpu help` shows every command.");
        };
    }

    /**
     * A button press. {@code key} names the button as drawn on one message and who pressed it: a double click or a
     * redelivery acts once, while a message redrawn with new values (the extension total) has new buttons.
     */
    public Reply press(Actor actor, String action, String value, String key) {
        String[] token = ReservationViews.token(value);
        Optional<Reply> serverPress = servers.press(actor, action, value, key);
        if (serverPress.isPresent()) {
            return serverPress.get();
        }
        return switch (action) {
            case Actions.CANCEL, Actions.CANCEL_CONFIRMED -> later(reply -> reply.accept(outcome(reservations.cancel(actor, token[0], key))));
            case Actions.EXTEND_1H, Actions.EXTEND_4H -> {
                Duration by = action.equals(Actions.EXTEND_1H) ? Duration.ofHours(1) : Duration.ofHours(4);
                // The total the button was drawn with: if it moved since, this is an outdated button and extends nothing.
                @Nullable Duration drawnWith = token.length == 2 && token[1].matches("\\d{1,9}") ? Duration.ofMinutes(Long.parseLong(token[1])) : null;
                yield later(reply -> reply.accept(outcome(reservations.extend(actor, token[0], by, key, drawnWith))));
            }
            case Actions.BOOKING_USED -> later(reply -> reply.accept(outcome(reservations.useBooking(actor, token[0]))));
            case Actions.IDLE_KEEP, Actions.IDLE_RELEASE -> IdleViews.press(idle, actor, action, token[0], key);
            case Actions.DISK_DELETE -> DiskViews.press(disks, reservations, actor, value, key);
            case Actions.OPEN_RESERVE -> new Reply.Open(reserveForm(), Message.of(":information_source: `" + CommandParser.USAGE + "`"));
            case NotifyViews.RESERVE, NotifyViews.QUEUE, NotifyViews.STOP -> notify == null
                    ? now(":warning: `/gpu notify` is not offered on this bot; nothing changed.") : notify.press(actor, action, value, key);
            default -> now(":warning: That button is not one this bot knows; nothing changed.");
        };
    }

    /** A submitted reserve form: wrong inputs go back to the form; a right one is reserved after the acknowledgement. */
    public Reply submit(Actor actor, Map<String, List<String>> values, String key) {
        return switch (ReserveForm.read(values)) {
            case ReserveForm.Submission.Errors(Map<String, String> errors) -> new Reply.Invalid(errors);
            case ReserveForm.Submission.Ok(Command.Reserve r) when r.at() != null -> BookingViews.submit(reservations, zones, actor, r, key);
            case ReserveForm.Submission.Ok(Command.Reserve r) -> reservations.check(actor, r)
                    .<Reply>map(why -> new Reply.Invalid(Map.of(ReserveForm.inputFor(r, why, reservations.board()), why)))
                    .orElseGet(() -> later(reply -> {
                        if (reservations.reserve(actor, r, key) instanceof ReserveOutcome.Refused(String reason)) {
                            reply.accept(Message.of(":no_entry: Your reservation was not accepted: " + reason));
                        }
                    }));
        };
    }

    public Form reserveForm() {
        return ReserveForm.form(reservations.board(), new Command.Reserve(null, null, null, false, List.of(), null, null));
    }

    /** The person's own page: their reservations with buttons, what is free, and who they are on GitHub (may call GitHub). */
    public Message home(Actor actor) {
        return StatusViews.home(reservations.board(), reservations.history(actor, 20), linking.whoami(actor.user()));
    }

    /** The channel's queue-status message, and {@link StatusViews#queueSummary} of the same board. */
    public Message queueStatus(Board board) {
        return StatusViews.queueStatus(board);
    }

    private Message cancel(Actor actor, @Nullable String id) {
        return switch (reservations.find(actor, id, true)) {
            case Lookup.Found(Reservation r) when !actor.mayActOn(r) -> Message.of(":lock: Reservation " + r.id() + " is not yours.");
            case Lookup.Found(Reservation r) when !r.live() -> Message.of(r.id() + " has already ended.");
            case Lookup.Found(Reservation r) -> confirmCancel(List.of(r));
            case Lookup.NotFound(String why) -> Message.of(why);
            case Lookup.Ambiguous(List<Reservation> several) -> confirmCancel(several.stream().filter(actor::mayActOn).limit(20).toList());
        };
    }

    /** One reservation: are you sure? Several: which one? Each with its own button. */
    private Message confirmCancel(List<Reservation> rs) {
        var now = reservations.now();
        List<Message.Item> items = new ArrayList<>();
        for (Reservation r : rs) {
            String what = r.state().holdsGpus() ? "Release" : "Cancel";
            items.add(new Message.Item(CommandViews.line(r, now, false), List.of(
                    Button.of(Actions.CANCEL_CONFIRMED, what + " " + r.id(), r.id().value()).styled(Button.Style.DANGER))));
        }
        return Message.of(rs.size() == 1 ? "Are you sure?" : "Which one?").withItems(items);
    }

    /**
     * Runs an admin command once per delivery; a duplicate is answered with what the first answered (or, while the
     * first still runs, that it is being handled).
     */
    private String once(@Nullable String key, Supplier<String> command) {
        if (key == null) {
            return command.get();
        }
        String claim = "admin:" + key;
        try {
            if (reservations.claim(claim, "").isPresent()) {
                return reservations.claim(claim + "#answer", "").filter(a -> !a.isEmpty())
                        .orElse(":information_source: This command arrived twice; it is handled once.");
            }
        } catch (StoreUnavailableException e) {
            return STORAGE_DOWN;
        }
        String answer = command.get();
        try {
            reservations.claim(claim + "#answer", answer);
        } catch (StoreUnavailableException e) {
            // The command took effect; only a later duplicate's answer is less specific.
        }
        return answer;
    }

    private String admin(Actor actor, Command.AdminAction action) {
        try {
            return switch (action) {
                case Command.AdminAction.Drain d -> said(reservations.drain(actor, new NodeName(d.node()), true));
                case Command.AdminAction.Undrain u -> said(reservations.drain(actor, new NodeName(u.node()), false));
                case Command.AdminAction.ForceCancel f -> text(reservations.cancel(actor, f.id(), null));
                case Command.AdminAction.Broadcast b -> {
                    var owners = reservations.board().live().stream().map(Reservation::owner).distinct().toList();
                    for (UserId o : owners) {
                        outbox.send(o, Message.of(":mega: From the GPU admins: " + b.text()));
                    }
                    yield "Sent to " + owners.size() + " people with live reservations.";
                }
                case Command.AdminAction.LinkUser l -> linking.adminLink(user(l.user()), new GithubLogin(l.login()));
                case Command.AdminAction.Forget f -> linking.forget(user(f.user()));
                case Command.AdminAction.Exempt e -> IdleViews.exempt(idle, reservations, actor, e);
            };
        } catch (IllegalArgumentException e) {
            return ":warning: " + e.getMessage();
        } catch (StoreUnavailableException e) {
            return STORAGE_DOWN;
        } catch (Exception e) {
            return ":warning: The chat platform did not take the broadcast: " + e.getMessage();
        }
    }

    private String idOrOnly(Actor actor, @Nullable String id) {
        if (id != null) {
            return id;
        }
        return reservations.find(actor, null, false) instanceof Lookup.Found(Reservation r) ? r.id().value() : "";
    }

    /** The answer to an action: done, or refused and why. */
    static Message outcome(ActionOutcome outcome) {
        return Message.of(text(outcome));
    }

    static String text(ActionOutcome outcome) {
        return switch (outcome) {
            case ActionOutcome.Done d -> ":white_check_mark: " + times(d.message());
            case ActionOutcome.Changed c -> ":white_check_mark: " + times(c.message());
            case ActionOutcome.Refused(String reason) -> ":no_entry: " + times(reason);
        };
    }

    /** The engine's instants ("it now ends at …") as times the platform shows in the reader's zone. */
    private static String times(String text) {
        return INSTANT.matcher(text).replaceAll(m -> Matcher.quoteReplacement(Markup.time(Instant.parse(m.group()))));
    }

    /** An admin's change without a reservation: what happened, as it is. */
    private static String said(ActionOutcome outcome) {
        return outcome instanceof ActionOutcome.Changed c ? c.message() : text(outcome);
    }

    private static String ids(List<Reservation> rs) {
        return String.join(", ", rs.stream().map(r -> "`" + r.id() + "`").toList());
    }

    /** A user named in a command: a mention ({@code <@U123|ana>}) or a bare id. */
    static UserId user(String text) {
        Matcher m = MENTION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("`" + text + "` is not a user: mention them, e.g. @ana");
        }
        return new UserId(m.group(1) != null ? m.group(1) : m.group(2));
    }

    private static Reply now(String text) {
        return new Reply.Now(Message.of(text));
    }

    private static Reply later(Reply.Work work) {
        return new Reply.Later(null, work);
    }
}
