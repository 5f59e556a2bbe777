package dev.gpudev.bot.conversation;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import dev.gpudev.scheduler.app.ActionOutcome;
import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.app.Idle;
import dev.gpudev.scheduler.app.Lookup;
import dev.gpudev.scheduler.app.Reservations;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.idle.IdleMarks;
import dev.gpudev.scheduler.idle.IdlePolicy;
import dev.gpudev.scheduler.idle.IdleRule;
import dev.gpudev.scheduler.model.IdleMark;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.port.StoreUnavailableException;

/** The idle policy in the chat: the question with Keep and Release, its answers, `/gpu show`'s lines, help, exemptions. */
public final class IdleViews {
    private IdleViews() {
    }

    /** "h100-7f3a has used its 4 GPUs 0 % for the last 30 min. Still using it?" with Keep and Release. */
    public static Message question(Notice.IdleQuestion q) {
        Reservation r = q.reservation();
        String gpus = r.gpus() == 1 ? "its GPU" : "its " + r.gpus() + " GPUs";
        String memory = Double.isNaN(q.peakMemoryMib()) || q.peakMemoryMib() < 1024 ? ""
                : String.format(Locale.ROOT, " (holding %.0f GiB)", q.peakMemoryMib() / 1024);
        String text = ":zzz: *" + r.id() + "* has used " + gpus + " " + IdleMarks.percent(q.meanUtil()) + memory
                + " for the last " + IdleMarks.minutes(q.idleFor()) + ". Still using it?";
        return Message.of(text).withButtons(List.of(
                        Button.of(Actions.IDLE_KEEP, "Keep", r.id().value()).styled(Button.Style.PRIMARY),
                        Button.of(Actions.IDLE_RELEASE, "Release", r.id().value()).styled(Button.Style.DANGER)
                                .confirming(new Button.Confirm("Release " + r.id() + "?",
                                        "The server is deleted at once. Files outside your home volume and /shared are lost.", "Release", "Keep it"))))
                .withNote("*Keep* silences this for " + IdleMarks.minutes(q.snooze()) + ". Without an answer it may be released "
                        + IdleMarks.minutes(q.grace()) + " after this message while others wait for " + r.gpuType() + " GPUs.")
                .withSummary(r.id() + " has been idle for " + IdleMarks.minutes(q.idleFor()) + ". Still using it?");
    }

    /** A press of Keep or Release; Keep after the release says it came too late. */
    static Reply press(Idle idle, Actor actor, String action, String id, String key) {
        return new Reply.Later(null, reply -> reply.accept(Message.of(switch (action) {
            case Actions.IDLE_KEEP -> kept(idle.keep(actor, id, key));
            default -> Conversation.text(idle.release(actor, id, key));
        })));
    }

    private static String kept(ActionOutcome outcome) {
        return switch (outcome) {
            case ActionOutcome.Done(Reservation r, String m) when r.state() == ReservationState.ACTIVE && r.idle().keptUntil() != null ->
                    ":white_check_mark: Kept *" + r.id() + "*. I won't ask about idle GPUs again before " + Markup.time(r.idle().keptUntil()) + ".";
            case ActionOutcome.Refused(String why) when why.contains("has already ended") ->
                    ":no_entry: Too late to keep it: " + why + " Reserve again with `/gpu reserve`.";
            default -> Conversation.text(outcome);
        };
    }

    /** `/gpu show`'s lines on a live reservation: idle since when, questions asked, kept until when. */
    static String shown(Reservation r, Instant now) {
        IdleMark m = r.idle();
        StringBuilder b = new StringBuilder();
        if (m.idleSince() != null && r.state() == ReservationState.ACTIVE) {
            b.append("\nIdle GPUs for ").append(Texts.duration(Duration.between(m.idleSince(), now).truncatedTo(ChronoUnit.MINUTES)))
                    .append(" (since ").append(Markup.time(m.idleSince())).append(")");
        }
        if (m.questions() > 0 || m.askedAt() != null || m.keptUntil() != null) {
            b.append("\nIdle questions asked: ").append(m.questions());
            if (m.askedAt() != null) {
                b.append(", the latest at ").append(Markup.time(m.askedAt())).append(m.shownAt() == null ? ", not answered (not shown yet)" : ", not answered");
            }
            if (m.keptUntil() != null && m.keptUntil().isAfter(now)) {
                b.append(", kept until ").append(Markup.time(m.keptUntil()));
            }
        }
        return b.toString();
    }

    /** The policy and its numbers, for `/gpu help`. */
    static String help(IdlePolicy policy) {
        IdleRule d = policy.defaults();
        StringBuilder b = new StringBuilder("\n*Idle GPUs*  ");
        if (!d.enabled() && policy.perType().values().stream().noneMatch(IdleRule::enabled)) {
            return b.append("the idle policy is off: idle reservations are never asked about or released.").toString();
        }
        b.append(rule(d));
        policy.perType().forEach((type, rule) -> {
            if (!rule.equals(d)) {
                b.append("\n  ").append(type).append(": ").append(rule.enabled() ? rule(rule) : "off");
            }
        });
        return b.append("\n  Admins: `/gpu admin exempt @user|team:NAME|<id>`, `/gpu admin unexempt …`.").toString();
    }

    private static String rule(IdleRule r) {
        return !r.enabled() ? "off" : "GPUs below " + IdleMarks.percent(r.threshold()) + " for " + IdleMarks.minutes(r.idleFor())
                + ": I DM the owner \"Still using it?\" with *Keep* (quiet for " + IdleMarks.minutes(r.snooze()) + ") and *Release*."
                + " No answer within " + IdleMarks.minutes(r.grace()) + " while others wait for that type: it is released."
                + " Nobody waiting: nothing is released.";
    }

    /** {@code /gpu admin exempt|unexempt}: a user, {@code team:NAME} or a reservation id; no target lists them. */
    static String exempt(Idle idle, Reservations reservations, Actor actor, Command.AdminAction.Exempt e) {
        try {
            if (e.target() == null) {
                var all = new TreeSet<>(idle.exempted());
                return all.isEmpty() ? "Nobody is exempt from the idle policy (besides any in the bot's configuration)."
                        : "Exempt from the idle policy: " + String.join(", ", all.stream().map(IdleViews::entry).toList()) + ".";
            }
            String entry = entry(reservations, actor, e.target());
            boolean changed = idle.exempt(actor, entry, e.on());
            String who = entry(entry);
            return e.on() ? (changed ? ":white_check_mark: " + who + " is now exempt from the idle policy: never asked, never released."
                    : who + " was already exempt.")
                    : (changed ? ":white_check_mark: " + who + " is no longer exempt from the idle policy." : who + " was not exempt; nothing changed.");
        } catch (IllegalArgumentException ex) {
            return ":warning: " + ex.getMessage();
        } catch (StoreUnavailableException ex) {
            return Conversation.STORAGE_DOWN;
        }
    }

    private static String entry(Reservations reservations, Actor actor, String target) {
        String t = target.strip();
        if (t.regionMatches(true, 0, "team:", 0, 5)) {
            String team = t.substring(5).strip();
            if (!team.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("`" + t + "` is not a team name: letters, digits, `.`, `_`, `-`, e.g. `team:vision`.");
            }
            return "team:" + team;
        }
        if (t.startsWith("<@") || t.startsWith("@") || t.matches("[A-Z0-9]{6,}|[a-z]+:[0-9]+")) {
            return "user:" + Conversation.user(t).value();
        }
        return switch (reservations.find(actor, t.toLowerCase(Locale.ROOT), true)) {
            case Lookup.Found(Reservation r) -> "reservation:" + r.id();
            case Lookup.NotFound(String why) -> throw new IllegalArgumentException(why
                    + " Exempt a user (`@ana`), a team (`team:vision`) or a reservation by its id.");
            case Lookup.Ambiguous(List<Reservation> several) -> throw new IllegalArgumentException("`" + t + "` matches "
                    + several.size() + " reservations; give the whole id.");
        };
    }

    private static String entry(String stored) {
        int colon = stored.indexOf(':');
        String kind = stored.substring(0, colon);
        String value = stored.substring(colon + 1);
        return switch (kind) {
            case "user" -> Markup.user(value);
            case "team" -> "team `" + value + "`";
            default -> "reservation `" + value + "`";
        };
    }
}
