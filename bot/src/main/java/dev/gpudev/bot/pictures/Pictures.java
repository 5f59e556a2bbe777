package dev.gpudev.bot.pictures;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;

import javax.imageio.ImageIO;

/** What both pictures share: headless drawing, fonts that may be missing, PNG encoding. */
final class Pictures {
    private static final System.Logger LOG = System.getLogger(Pictures.class.getName());

    private Pictures() {
    }

    static Font font(int size, boolean bold) {
        return new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, size);
    }

    /**
     * Draws text; an image without fonts (a slim JRE without fontconfig) still gets its bars, with the failure logged,
     * rather than no picture at all.
     */
    static void text(Graphics2D g, Runnable draw) {
        try {
            draw.run();
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError v) {
                throw v;
            }
            LOG.log(Level.WARNING, "drew a picture without its labels: the JVM has no usable fonts (" + e + ")");
        }
    }

    /** The title at the top left, then the labels' font. */
    static void heading(Graphics2D g, String title) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(font(15, true));
        g.drawString(cut(title, 100), 10, 24);
        g.setFont(font(12, false));
    }

    static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)) + "…";
    }

    static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
