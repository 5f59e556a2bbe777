package dev.gpudev.bot.conversation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The model as terminal text, as the sandbox console prints it: one entry per paragraph, fields indented, the note in
 * parentheses, and the buttons apart so the console can number them ({@code b1}, {@code b2}…). Times show their UTC
 * fallback, links their label and address, users as {@code @U123}, escapes undone.
 */
public final class PlainText {
    private static final Pattern DATE = Pattern.compile("<!date\\^\\d+\\^[^|>]*\\|([^>]*)>");
    private static final Pattern LINK = Pattern.compile("<(https?://[^|>]+)\\|([^>]*)>");
    private static final Pattern USER = Pattern.compile("<@([A-Za-z0-9_]+)(?:\\|[^>]*)?>");

    /** Rendered lines and the buttons, in reading order. */
    public record Rendered(List<String> lines, List<Button> buttons) {
        public Rendered {
            lines = List.copyOf(lines);
            buttons = List.copyOf(buttons);
        }
    }

    private PlainText() {
    }

    public static Rendered render(Message m) {
        List<String> lines = new ArrayList<>();
        if (m.heading() != null && !m.heading().isBlank()) {
            lines.add(text(m.heading()));
        }
        if (!m.text().isBlank()) {
            lines.add(text(m.text()));
        }
        m.fields().forEach(f -> lines.add("  " + text("*" + f.label() + "*\n" + f.value())));
        m.items().forEach(i -> lines.add(text(i.text())));
        if (!m.note().isBlank()) {
            lines.add("  (" + text(m.note()) + ")");
        }
        return new Rendered(lines, m.allButtons());
    }

    /** Markup as terminal text. */
    public static String text(String markup) {
        String t = DATE.matcher(markup).replaceAll("$1");
        t = LINK.matcher(t).replaceAll("$2 ($1)");
        t = USER.matcher(t).replaceAll("@$1");
        return t.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
