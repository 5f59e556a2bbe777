package dev.gpudev.bot.conversation;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.gpudev.bot.pictures.Timeline;
import dev.gpudev.bot.pictures.TimelinePicture;
import dev.gpudev.bot.pictures.UsageChart;
import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.app.Board;
import dev.gpudev.scheduler.app.Reservations;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.port.StoreUnavailableException;
import dev.gpudev.scheduler.usage.Held;
import dev.gpudev.scheduler.usage.UsageOutcome;
import dev.gpudev.scheduler.usage.UsagePeriod;
import dev.gpudev.scheduler.usage.UsageReport;
import dev.gpudev.scheduler.usage.UsageReports;
import dev.gpudev.scheduler.usage.UsageRow;
import dev.gpudev.scheduler.usage.UsageScope;

/**
 * {@code /gpu usage} and {@code /gpu timeline}: the usage report as text with a chart (or, for admins, a CSV), and the
 * occupancy timeline as a picture. Both read the store, so both answer after the acknowledgement.
 */
public final class UsageViews {
    /** The timeline shows this much before now and after it. */
    static final Duration PAST = Duration.ofHours(6);
    static final Duration AHEAD = Duration.ofHours(12);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final UsageReports reports;
    private final Reservations reservations;

    public UsageViews(UsageReports reports, Reservations reservations) {
        this.reports = reports;
        this.reservations = reservations;
    }

    public Reply usage(Actor actor, Command.Usage u) {
        UsagePeriod period = u.month() ? UsagePeriod.MONTH : UsagePeriod.WEEK;
        UsageScope scope;
        try {
            scope = u.team() != null ? new UsageScope.Team(u.team()) : u.user() != null ? new UsageScope.Person(Conversation.user(u.user()))
                    : new UsageScope.Everyone();
        } catch (IllegalArgumentException e) {
            return new Reply.Now(Message.of(":warning: " + e.getMessage() + " (`/gpu usage week @ana`)."));
        }
        if (u.csv() && !actor.admin()) {
            return new Reply.Now(Message.of(":lock: CSV exports are for admins. `/gpu usage " + period.name().toLowerCase(Locale.ROOT)
                    + "` shows your usage and everyone's total."));
        }
        UsageScope asked = scope;
        return new Reply.Later(null, reply -> reply.accept(switch (reports.report(actor, period, asked)) {
            case UsageOutcome.Refused(String why) -> Message.of(":lock: " + why);
            case UsageOutcome.Report(UsageReport r) -> u.csv() ? csv(r) : report(r, actor.admin());
        }));
    }

    public Reply timeline(Actor actor, Command.Timeline t) {
        Board board = reservations.board();
        if (t.gpuType() != null && board.type(t.gpuType()).isEmpty()) {
            return new Reply.Now(Message.of(":warning: There is no GPU type `" + t.gpuType() + "` here. Types: "
                    + String.join(", ", board.types().stream().map(Board.TypeStatus::name).toList()) + "."));
        }
        return new Reply.Later(null, reply -> {
            List<Reservation> past;
            try {
                past = reports.heldBetween(board.now().minus(PAST), board.now());
            } catch (StoreUnavailableException e) {
                past = board.live();
            }
            Timeline picture = timeline(board, past, actor, t.gpuType());
            String what = t.gpuType() == null ? "every GPU type" : t.gpuType();
            reply.accept(Message.of(":bar_chart: The nodes of " + what + " from " + Markup.time(picture.from()) + " to " + Markup.time(picture.to())
                            + ": yours in orange, others' in blue, bookings in purple on their nodes, queued requests in grey from their planned start; the red line is now.")
                    .withAttachment(Attachment.png("timeline-" + (t.gpuType() == null ? "all" : t.gpuType()) + ".png",
                            "GPU timeline, " + what, TimelinePicture.png(picture))));
        });
    }

    /** The picture's model: a row per node of the type(s), bars of what held it, a row per queued request. */
    static Timeline timeline(Board board, List<Reservation> held, Actor viewer, @Nullable String gpuType) {
        Instant now = board.now();
        Instant from = now.minus(PAST);
        Instant to = now.plus(AHEAD);
        List<Timeline.Row> rows = new ArrayList<>();
        List<Timeline.Bar> queued = new ArrayList<>();
        for (Board.TypeStatus type : board.types()) {
            if (gpuType != null && !type.name().equals(gpuType)) {
                continue;
            }
            for (Board.Node node : type.nodes()) {
                List<Timeline.Bar> bars = new ArrayList<>();
                for (Reservation r : all(held, board.live())) {
                    if (!r.gpuType().equals(type.name()) || !r.nodes().contains(node.name())) {
                        continue;
                    }
                    bar(r, now, viewer).ifPresent(bars::add);
                }
                for (Reservation r : board.live()) {
                    if (r.state() == ReservationState.QUEUED && r.booking() != null && r.booking().nodes().contains(node.name())) {
                        Instant start = r.booking().startsAt().isBefore(now) ? now : r.booking().startsAt();
                        bars.add(new Timeline.Bar(start, start.plus(r.duration()), r.gpusPerNode(), "booked " + r.id() + " @" + r.owner().value(),
                                Timeline.Kind.BOOKED));
                    }
                }
                rows.add(new Timeline.Row(node.name().value() + (node.schedulable() ? "" : " (drained)"), node.total(), bars));
            }
            for (Board.Waiting w : board.queue(type.name())) {
                if (w.eta() != null && w.reservation().booking() == null) {
                    Reservation r = w.reservation();
                    queued.add(new Timeline.Bar(w.eta(), w.eta().plus(r.duration()), 1, "queue #" + w.position() + " " + r.gpus() + "×" + type.name() + " @" + r.owner().value(),
                            viewer.owns(r) ? Timeline.Kind.MINE_QUEUED : Timeline.Kind.QUEUED));
                }
            }
        }
        return new Timeline("GPU timeline" + (gpuType == null ? "" : ", " + gpuType) + " — " + DAY.format(from) + " to " + DAY.format(to) + " UTC",
                from, to, now, rows, queued);
    }

    private static List<Reservation> all(List<Reservation> held, List<Reservation> live) {
        List<Reservation> out = new ArrayList<>(live);
        held.stream().filter(h -> live.stream().noneMatch(l -> l.id().equals(h.id()))).forEach(out::add);
        return out;
    }

    /**
     * Per node, the GPUs a reservation holds there: ACTIVE from when it became so to its planned end; ended over what it
     * held; still starting from now for its duration.
     */
    private static Optional<Timeline.Bar> bar(Reservation r, Instant now, Actor viewer) {
        Timeline.Kind kind = viewer.owns(r) ? Timeline.Kind.MINE : Timeline.Kind.OTHERS;
        String label = r.id().value() + " @" + r.owner().value();
        return switch (r.state()) {
            case PROVISIONING -> Optional.of(new Timeline.Bar(now, now.plus(r.duration()), r.gpusPerNode(), r.id().value() + " starting", kind));
            case ACTIVE -> r.endsAt() == null ? Optional.empty() : Optional.of(new Timeline.Bar(r.updatedAt(), r.endsAt(), r.gpusPerNode(), label, kind));
            case ENDED -> Held.of(r, now).map(h -> new Timeline.Bar(h.from(), h.to(), r.gpusPerNode(), label, kind));
            case QUEUED -> Optional.empty();
        };
    }

    /** The report as text, with its chart. */
    static Message report(UsageReport r, boolean admin) {
        StringBuilder b = new StringBuilder();
        b.append(switch (r.scope()) {
            case UsageScope.Everyone e -> "*Everyone*";
            case UsageScope.Person p -> "*" + Markup.user(p.user().value()) + "*";
            case UsageScope.Team t -> "*Team " + t.name() + "*";
        }).append(" · ").append(DAY.format(r.from())).append(" – ").append(DAY.format(r.to())).append(" UTC\n");
        if (r.people().isEmpty()) {
            b.append("No GPU time in this window.\n");
        }
        for (UsageRow row : r.people()) {
            b.append("• ").append(Markup.user(row.key())).append(": ").append(figures(row)).append('\n');
        }
        if (!r.types().isEmpty()) {
            b.append("*By GPU type*\n");
            r.types().forEach(row -> b.append("• ").append(row.key()).append(": ").append(figures(row)).append('\n'));
        }
        b.append("*Total*: ").append(figures(r.total()));
        if (!r.scope().equals(new UsageScope.Everyone())) {
            b.append("\n*Everyone*: ").append(figures(r.cluster()));
        }
        if (r.truncated()) {
            b.append("\n:warning: The history was read up to ").append(UsageReports.HISTORY_CAP).append(" reservations; older ones may be missing.");
        }
        List<UsageChart.Bar> bars = (r.people().size() > 1 || r.types().isEmpty() ? r.people() : r.types()).stream()
                .map(row -> new UsageChart.Bar(r.people().contains(row) ? "@" + row.key() : row.key(), UsageRow.hours(row.reserved()),
                        row.measured() > 0 ? UsageRow.hours(row.busy()) : null, UsageRow.hours(row.reclaimed()))).toList();
        Message m = Message.of(b.toString()).withHeading("GPU usage, " + r.period().label())
                .withNote("Approximate: " + String.join(" ", UsageReport.APPROXIMATE)
                        + (admin ? " `/gpu usage " + r.period().name().toLowerCase(Locale.ROOT) + " csv` exports it." : ""));
        return bars.isEmpty() ? m : m.withAttachment(Attachment.png("usage-" + r.period().name().toLowerCase(Locale.ROOT) + ".png",
                "GPU usage, " + r.period().label(), UsageChart.png("GPU usage, " + r.period().label() + " (GPU-hours)", bars)));
    }

    /**
     * The weekly summary for the queue channel, which everyone reads: per GPU type and in total, with the number of
     * people; per-person figures stay in {@code /gpu usage} (each person's own, an admin's everyone's).
     */
    public static Message weekly(UsageReport r) {
        StringBuilder b = new StringBuilder(DAY.format(r.from()) + " – " + DAY.format(r.to()) + " UTC, " + r.people().size()
                + (r.people().size() == 1 ? " person" : " people") + " held GPUs.\n");
        r.types().forEach(row -> b.append("• ").append(row.key()).append(": ").append(figures(row)).append('\n'));
        b.append("*Total*: ").append(figures(r.total()));
        List<UsageChart.Bar> bars = r.types().stream().map(row -> new UsageChart.Bar(row.key(), UsageRow.hours(row.reserved()),
                row.measured() > 0 ? UsageRow.hours(row.busy()) : null, UsageRow.hours(row.reclaimed()))).toList();
        Message m = Message.of(b.toString()).withHeading("GPU usage this week")
                .withNote("`/gpu usage` shows your own figures. Approximate: " + String.join(" ", UsageReport.APPROXIMATE));
        return bars.isEmpty() ? m : m.withAttachment(Attachment.png("usage-weekly.png", "GPU usage, the last 7 days, by GPU type",
                UsageChart.png("GPU usage, the last 7 days, by GPU type (GPU-hours)", bars)));
    }

    /** One row's figures; GPU time in hours and minutes, exact, so that the rows add up to the total as shown. */
    static String figures(UsageRow row) {
        String busy = row.busyShare().map(s -> gpuTime(row.busy()) + " busy (" + Math.round(s * 100) + " % of " + gpuTime(row.measured()) + " measured)")
                .orElse("busy share unknown");
        String waits = row.started() == 0 ? "none started" : row.started() + " started, waited " + Durations.format(row.meanWait().orElseThrow())
                + " on average, " + Durations.format(row.waitMax()) + " at most";
        return row.reservations() + " reservation" + (row.reservations() == 1 ? "" : "s") + ", *" + gpuTime(row.reserved()) + "* GPU-hours reserved, "
                + busy + ", " + gpuTime(row.reclaimed()) + " reclaimed idle · " + waits;
    }

    static String gpuTime(long gpuMinutes) {
        return gpuMinutes == 0 ? "0h" : Durations.format(Duration.ofMinutes(gpuMinutes));
    }

    /** An admin's export: every visible row, people then types then the totals, GPU time in whole GPU-minutes. */
    static Message csv(UsageReport r) {
        StringBuilder b = new StringBuilder("section,key,reservations,reserved_gpu_minutes,measured_gpu_minutes,busy_gpu_minutes,busy_share,"
                + "reclaimed_idle_gpu_minutes,started,wait_total_minutes,wait_max_minutes\n");
        r.people().forEach(row -> line(b, "person", row));
        r.types().forEach(row -> line(b, "type", row));
        line(b, "total", r.total());
        line(b, "everyone", r.cluster());
        String name = "usage-" + r.period().name().toLowerCase(Locale.ROOT) + "-" + DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC).format(r.to()) + ".csv";
        return Message.of(":page_facing_up: GPU usage, " + r.period().label() + ", as CSV (" + (r.people().size() + r.types().size()) + " rows and the totals).")
                .withAttachment(Attachment.csv(name, "GPU usage, " + r.period().label(), b.toString()));
    }

    private static void line(StringBuilder b, String section, UsageRow row) {
        b.append(section).append(',').append(cell(row.key())).append(',').append(row.reservations()).append(',').append(row.reserved()).append(',')
                .append(row.measured()).append(',').append(row.busy()).append(',')
                .append(row.busyShare().map(s -> String.format(Locale.ROOT, "%.4f", s)).orElse("")).append(',').append(row.reclaimed()).append(',')
                .append(row.started()).append(',').append(row.waitTotal().toMinutes()).append(',').append(row.waitMax().toMinutes()).append('\n');
    }

    /** A CSV cell; a leading = + - @ is quoted away so that a spreadsheet does not run it as a formula. */
    static String cell(String s) {
        String safe = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
        return safe.matches("[A-Za-z0-9 ._:'-]*") ? safe : "\"" + safe.replace("\"", "\"\"") + "\"";
    }
}
