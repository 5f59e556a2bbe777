package dev.gpudev.bot.pictures;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The usage report's chart: one horizontal bar per row (a person or a GPU type), its length the GPU-hours reserved,
 * the part measured busy darker over it, reclaimed idle hours as a red stub after it.
 */
public final class UsageChart {
    public static final int WIDTH = 900;
    static final int LEFT = 180;
    static final int RIGHT = 150;
    static final int TOP = 44;
    static final int ROW = 26;
    static final int BOTTOM = 40;
    public static final Color RESERVED = new Color(0xA8C7FA);
    public static final Color BUSY = new Color(0x1A5FB4);
    public static final Color RECLAIMED = new Color(0xD93025);

    private UsageChart() {
    }

    /** @param busyHours null when telemetry measured nothing of this row */
    public record Bar(String label, double reservedHours, @Nullable Double busyHours, double reclaimedHours) {
    }

    /** Where a row's bars are drawn: the reserved bar, the busy part over it (width 0 when unknown), the reclaimed stub. */
    public record Placed(Bar bar, int x, int y, int reservedWidth, int busyWidth, int reclaimedWidth, int height) {
    }

    public record Layout(int width, int height, List<Placed> rows) {
    }

    public static Layout layout(List<Bar> bars) {
        double max = bars.stream().mapToDouble(b -> b.reservedHours() + b.reclaimedHours()).max().orElse(0);
        double scale = max <= 0 ? 0 : (WIDTH - LEFT - RIGHT) / max;
        List<Placed> rows = new ArrayList<>();
        int y = TOP;
        for (Bar b : bars) {
            int reserved = (int) Math.round(b.reservedHours() * scale);
            int busy = b.busyHours() == null ? 0 : Math.min(reserved, (int) Math.round(b.busyHours() * scale));
            rows.add(new Placed(b, LEFT, y + 4, reserved, busy, (int) Math.round(b.reclaimedHours() * scale), ROW - 8));
            y += ROW;
        }
        return new Layout(WIDTH, y + BOTTOM, rows);
    }

    public static byte[] png(String title, List<Bar> bars) {
        Layout layout = layout(bars);
        BufferedImage image = new BufferedImage(layout.width(), layout.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, layout.width(), layout.height());
            for (Placed p : layout.rows()) {
                g.setColor(RESERVED);
                g.fillRect(p.x(), p.y(), p.reservedWidth(), p.height());
                g.setColor(BUSY);
                g.fillRect(p.x(), p.y(), p.busyWidth(), p.height());
                g.setColor(RECLAIMED);
                g.fillRect(p.x() + p.reservedWidth(), p.y(), p.reclaimedWidth(), p.height());
            }
            Pictures.text(g, () -> labels(g, title, layout));
        } finally {
            g.dispose();
        }
        return Pictures.encode(image);
    }

    private static void labels(Graphics2D g, String title, Layout layout) {
        Pictures.heading(g, title);
        for (Placed p : layout.rows()) {
            g.setColor(Color.BLACK);
            g.drawString(Pictures.cut(p.bar().label(), 24), 8, p.y() + p.height() - 4);
            g.setColor(Color.DARK_GRAY);
            String figures = String.format(Locale.ROOT, "%.1f GPU-h", p.bar().reservedHours())
                    + (p.bar().busyHours() == null ? ", busy ?" : String.format(Locale.ROOT, ", %.0f %% busy",
                    p.bar().reservedHours() > 0 ? 100 * p.bar().busyHours() / p.bar().reservedHours() : 0));
            g.drawString(figures, p.x() + p.reservedWidth() + p.reclaimedWidth() + 6, p.y() + p.height() - 4);
        }
        int y = layout.height() - BOTTOM + 24;
        int x = LEFT;
        for (var legend : List.of(new Object[]{RESERVED, "reserved"}, new Object[]{BUSY, "busy (telemetry)"}, new Object[]{RECLAIMED, "reclaimed idle"})) {
            g.setColor((Color) legend[0]);
            g.fillRect(x, y - 10, 14, 10);
            g.setColor(Color.DARK_GRAY);
            g.drawString((String) legend[1], x + 18, y);
            x += 40 + g.getFontMetrics().stringWidth((String) legend[1]);
        }
    }
}
