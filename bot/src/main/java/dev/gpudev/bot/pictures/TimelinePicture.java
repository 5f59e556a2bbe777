package dev.gpudev.bot.pictures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The timeline as a PNG: node rows split into GPU lanes, each reservation a bar over the lanes it holds (packed so
 * that bars at the same time never share a lane), queued requests on rows of their own from their planned start, the
 * viewer's own in orange, a red line at now, hours along the bottom.
 */
public final class TimelinePicture {
    public static final int WIDTH = 1200;
    static final int LEFT = 170;
    static final int RIGHT = 20;
    static final int TOP = 44;
    static final int LANE = 7;
    static final int GAP = 10;
    static final int QUEUE_ROW = 20;
    static final int BOTTOM = 56;
    public static final Map<Timeline.Kind, Color> COLOURS = Map.of(
            Timeline.Kind.MINE, new Color(0xE8710A), Timeline.Kind.OTHERS, new Color(0x4A78C2),
            Timeline.Kind.QUEUED, new Color(0x9AA0A6), Timeline.Kind.MINE_QUEUED, new Color(0xF6B26B),
            Timeline.Kind.BOOKED, new Color(0x8E63CE));
    static final Color BACKGROUND = Color.WHITE;
    static final Color NOW = new Color(0xD93025);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private TimelinePicture() {
    }

    /** Where a bar is drawn. */
    public record Placed(Timeline.Bar bar, int x, int y, int width, int height) {
    }

    /** The picture's size and every bar's rectangle, as {@link #png} draws them. */
    public record Layout(int width, int height, List<Placed> bars) {
    }

    public static Layout layout(Timeline t) {
        List<Placed> placed = new ArrayList<>();
        int y = TOP;
        for (Timeline.Row row : t.nodes()) {
            List<int[]> taken = new ArrayList<>();
            for (Timeline.Bar b : row.bars()) {
                int lane = lane(row.gpus(), b, taken, t);
                int from = x(t, b.from());
                int to = x(t, b.to());
                if (to > from) {
                    placed.add(new Placed(b, from, y + lane * LANE, to - from, Math.min(b.gpus(), row.gpus() - lane) * LANE - 1));
                }
            }
            y += Math.max(1, row.gpus()) * LANE + GAP;
        }
        for (Timeline.Bar b : t.queued()) {
            int from = x(t, b.from());
            int to = x(t, b.to());
            if (to > from) {
                placed.add(new Placed(b, from, y + 3, to - from, QUEUE_ROW - 6));
            }
            y += QUEUE_ROW;
        }
        return new Layout(WIDTH, y + BOTTOM, placed);
    }

    public static byte[] png(Timeline t) {
        Layout layout = layout(t);
        BufferedImage image = new BufferedImage(layout.width(), layout.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, layout.width(), layout.height());
            g.setColor(new Color(0xE8EAED));
            for (Instant h = t.from().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)); h.isBefore(t.to()); h = h.plus(Duration.ofHours(1))) {
                g.drawLine(x(t, h), TOP - 4, x(t, h), layout.height() - BOTTOM + 4);
            }
            for (Placed p : layout.bars()) {
                g.setColor(COLOURS.get(p.bar().kind()));
                g.fillRect(p.x(), p.y(), p.width(), p.height());
            }
            g.setColor(NOW);
            g.setStroke(new BasicStroke(2));
            g.drawLine(x(t, t.now()), TOP - 6, x(t, t.now()), layout.height() - BOTTOM + 6);
            Pictures.text(g, () -> labels(g, t, layout));
        } finally {
            g.dispose();
        }
        return Pictures.encode(image);
    }

    private static void labels(Graphics2D g, Timeline t, Layout layout) {
        Pictures.heading(g, t.title());
        int y = TOP;
        for (Timeline.Row row : t.nodes()) {
            g.drawString(Pictures.cut(row.label() + " (" + row.gpus() + ")", 24), 8, y + Math.max(1, row.gpus()) * LANE / 2 + 5);
            y += Math.max(1, row.gpus()) * LANE + GAP;
        }
        for (Timeline.Bar b : t.queued()) {
            g.drawString(Pictures.cut(b.label(), 24), 8, y + 14);
            y += QUEUE_ROW;
        }
        g.setFont(Pictures.font(11, false));
        for (Placed p : layout.bars()) {
            if (p.bar().kind() != Timeline.Kind.QUEUED && p.bar().kind() != Timeline.Kind.MINE_QUEUED
                    && p.width() > 60 && p.height() >= 12) {
                g.setColor(Color.WHITE);
                g.drawString(Pictures.cut(p.bar().label(), p.width() / 7), p.x() + 4, p.y() + Math.min(p.height(), 26) / 2 + 5);
            }
        }
        int axis = layout.height() - BOTTOM + 20;
        g.setColor(Color.DARK_GRAY);
        for (Instant h = t.from().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)); h.isBefore(t.to()); h = h.plus(Duration.ofHours(2))) {
            g.drawString(HOUR.format(h), x(t, h) - 16, axis);
        }
        int lx = LEFT;
        for (Timeline.Kind k : List.of(Timeline.Kind.MINE, Timeline.Kind.OTHERS, Timeline.Kind.BOOKED, Timeline.Kind.QUEUED, Timeline.Kind.MINE_QUEUED)) {
            g.setColor(COLOURS.get(k));
            g.fillRect(lx, axis + 12, 14, 10);
            g.setColor(Color.DARK_GRAY);
            String name = switch (k) {
                case MINE -> "yours";
                case OTHERS -> "others'";
                case QUEUED -> "queued (planned start)";
                case MINE_QUEUED -> "yours, queued";
                case BOOKED -> "booked";
            };
            g.drawString(name, lx + 18, axis + 21);
            lx += 40 + g.getFontMetrics().stringWidth(name);
        }
        g.setColor(NOW);
        g.drawString("now " + HOUR.format(t.now()) + " UTC", lx + 10, axis + 21);
    }

    static int x(Timeline t, Instant at) {
        Instant c = at.isBefore(t.from()) ? t.from() : at.isAfter(t.to()) ? t.to() : at;
        double share = (double) Duration.between(t.from(), c).toMillis() / Duration.between(t.from(), t.to()).toMillis();
        return LEFT + (int) Math.round(share * (WIDTH - LEFT - RIGHT));
    }

    /** The lowest lane from which {@code b.gpus()} lanes are free over its time; 0 when none (an inconsistent history). */
    private static int lane(int lanes, Timeline.Bar b, List<int[]> taken, Timeline t) {
        int from = x(t, b.from());
        int to = x(t, b.to());
        for (int lane = 0; lane + b.gpus() <= lanes; lane++) {
            int l = lane;
            boolean free = taken.stream().noneMatch(o -> o[0] < to && from < o[1] && o[2] < l + b.gpus() && l < o[2] + o[3]);
            if (free) {
                taken.add(new int[]{from, to, lane, b.gpus()});
                return lane;
            }
        }
        taken.add(new int[]{from, to, 0, b.gpus()});
        return 0;
    }
}
