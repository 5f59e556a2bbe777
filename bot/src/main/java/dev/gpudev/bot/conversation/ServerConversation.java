package dev.gpudev.bot.conversation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.app.ActionOutcome;
import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.app.Lookup;
import dev.gpudev.scheduler.app.Reservations;
import dev.gpudev.scheduler.app.Servers;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;

/** The {@link Conversation} of the server commands: logs, list filters and pages, cancel --all, the extend picker, edit, ssh-config. */
final class ServerConversation {
    /** Read at most this many reservations to filter a history by state. */
    private static final int FILTER_SCAN = 500;
    private static final int MAX_PAGE = 50;

    private final Reservations reservations;

    ServerConversation(Reservations reservations) {
        this.reservations = reservations;
    }

    Reply logs(Actor actor, Command.Logs l) {
        return later(reply -> reply.accept(switch (reservations.servers().logs(actor, l.id(), l.lines())) {
            case Servers.LogAnswer.Shown shown -> ServerViews.logs(shown, l.lines());
            case Servers.LogAnswer.Refused(String why) -> Message.of(":no_entry: " + why);
        }));
    }

    Reply list(Actor actor, Command.ListReservations l) {
        UserId whose;
        if (l.user() == null) {
            whose = actor.user();
        } else if (!actor.admin()) {
            return now(":lock: Only admins may list someone else's reservations; `/gpu list all` shows everyone's live ones.");
        } else {
            try {
                whose = Conversation.user(l.user());
            } catch (IllegalArgumentException e) {
                return now(":warning: " + e.getMessage());
            }
        }
        if (l.page() > MAX_PAGE) {
            return now(":warning: I page back at most " + MAX_PAGE + " pages (" + MAX_PAGE * ServerViews.PAGE + " reservations).");
        }
        return now(page(actor, whose, l.user() == null ? null : whose.value(), l.states(), l.page()));
    }

    private Message page(Actor actor, UserId whose, @Nullable String shownUser, Set<ReservationState> states, int page) {
        int want = page * ServerViews.PAGE + 1;
        Optional<List<Reservation>> read = reservations.servers().history(actor, whose, states.isEmpty() ? want : FILTER_SCAN);
        if (read.isEmpty()) {
            return Message.of(":lock: Only admins may list someone else's reservations.");
        }
        List<Reservation> rows = read.get().stream().filter(r -> states.isEmpty() || states.contains(r.state())).toList();
        int from = Math.min(rows.size(), (page - 1) * ServerViews.PAGE);
        int to = Math.min(rows.size(), page * ServerViews.PAGE);
        return ServerViews.page(rows.subList(from, to), reservations.now(), page, rows.size() > to, states, shownUser);
    }

    Reply cancelAll(Actor actor) {
        return now(ServerViews.cancelAll(reservations.board().liveOf(actor.user()), reservations.now()));
    }

    /** Without an id and with several live reservations: a picker; else the extension as asked. */
    Optional<Reply> extendPicker(Actor actor, Command.Extend e) {
        if (e.id() != null || !(reservations.find(actor, null, false) instanceof Lookup.Ambiguous(List<Reservation> several))) {
            return Optional.empty();
        }
        return Optional.of(now(ServerViews.extendPicker(several.stream().filter(actor::mayActOn).limit(20).toList(), e.by(), reservations.now())));
    }

    Reply edit(Actor actor, Command.Edit e) {
        return later(reply -> reply.accept(Conversation.outcome(reservations.servers().edit(actor, e))));
    }

    Reply sshConfig(Actor actor) {
        return later(reply -> {
            List<Servers.Server> ready = reservations.servers().ready(actor);
            Message m = ServerViews.sshConfig(ready, reservations.servers().notReady(actor));
            reply.accept(ready.isEmpty() ? m : m.withAttachment(new Attachment(SshConfigFile.FILENAME, "~/.ssh/config for your GPU servers",
                    "text/plain", SshConfigFile.of(ready, reservations.now()).getBytes(StandardCharsets.UTF_8))));
        });
    }

    /** The presses of this file's buttons; empty for any other action. */
    Optional<Reply> press(Actor actor, String action, String value, String key) {
        String[] v = value.split("\\|", -1);
        return switch (action) {
            case Actions.LIST_PAGE -> Optional.of(listPage(actor, v));
            case Actions.CANCEL_ALL -> {
                if (!value.matches("\\d{1,12}")) {
                    yield Optional.of(now(":warning: That button is not one this bot drew; nothing changed."));
                }
                Instant upTo = Instant.ofEpochSecond(Long.parseLong(value));
                yield Optional.of(later(reply -> reply.accept(cancelAll(actor, upTo, key))));
            }
            case Actions.EXTEND_PICK -> {
                if (v.length != 3 || !v[1].matches("\\d{1,9}") || !v[2].matches("\\d{1,6}")) {
                    yield Optional.of(now(":warning: That button is not one this bot drew; nothing changed."));
                }
                Duration drawnWith = Duration.ofMinutes(Long.parseLong(v[1]));
                Duration by = Duration.ofMinutes(Long.parseLong(v[2]));
                yield Optional.of(later(reply -> reply.accept(Conversation.outcome(reservations.extend(actor, v[0], by, key, drawnWith)))));
            }
            default -> Optional.empty();
        };
    }

    /** Only the presser's own, whoever they are: an admin's {@code cancel --all} is theirs too. */
    private Message cancelAll(Actor actor, Instant upTo, String key) {
        List<String> done = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Reservation r : reservations.board().liveOf(actor.user())) {
            // the button carries whole seconds: compare at that precision, or the newest listed one would be kept
            if (r.requestedAt().getEpochSecond() <= upTo.getEpochSecond()) {
                switch (reservations.cancel(actor, r.id().value(), key + ":" + r.id())) {
                    case ActionOutcome.Refused(String why) -> refused.add(why);
                    default -> done.add("`" + r.id() + "`");
                }
            }
        }
        if (done.isEmpty() && refused.isEmpty()) {
            return Message.of("Nothing left to cancel: those reservations have ended already.");
        }
        return Message.of((done.isEmpty() ? "" : ":white_check_mark: Cancelled " + String.join(", ", done) + ".")
                + (refused.isEmpty() ? "" : (done.isEmpty() ? "" : "\n") + ":no_entry: " + String.join("\n", refused)));
    }

    private Reply listPage(Actor actor, String[] v) {
        if (v.length != 3 || !v[0].matches("\\d{1,4}") || Integer.parseInt(v[0]) < 1) {
            return now(":warning: That button is not one this bot drew; nothing changed.");
        }
        Set<ReservationState> states = EnumSet.noneOf(ReservationState.class);
        for (String s : v[1].split(",")) {
            if (!s.isBlank()) {
                try {
                    states.add(ReservationState.valueOf(s));
                } catch (IllegalArgumentException e) {
                    return now(":warning: That button is not one this bot drew; nothing changed.");
                }
            }
        }
        UserId whose;
        try {
            whose = v[2].isEmpty() ? actor.user() : new UserId(v[2]);
        } catch (IllegalArgumentException e) {
            return now(":warning: That button is not one this bot drew; nothing changed.");
        }
        return now(page(actor, whose, v[2].isEmpty() ? null : v[2], states, Math.min(MAX_PAGE, Integer.parseInt(v[0]))));
    }

    private static Reply now(String text) {
        return new Reply.Now(Message.of(text));
    }

    private static Reply now(Message m) {
        return new Reply.Now(m);
    }

    private static Reply later(Reply.Work work) {
        return new Reply.Later(null, work);
    }
}
