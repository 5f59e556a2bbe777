package dev.gpudev.bot.conversation;

import org.jspecify.annotations.Nullable;

/**
 * A button. {@code action} names what it does (one of {@link Actions}); {@code value} is what the press carries back
 * (a reservation id, or {@code id|extendedMinutes}); {@code confirm}, when set, is asked before the press counts.
 */
public record Button(String action, String label, String value, Style style, @Nullable Confirm confirm) {
    public enum Style {
        PLAIN, PRIMARY, DANGER
    }

    /** "Are you sure?": a title and text (text in {@link Markup}), and the labels of yes and no. */
    public record Confirm(String title, String text, String yes, String no) {
    }

    public static Button of(String action, String label, String value) {
        return new Button(action, label, value, Style.PLAIN, null);
    }

    public Button styled(Style s) {
        return new Button(action, label, value, s, confirm);
    }

    public Button confirming(Confirm c) {
        return new Button(action, label, value, style, c);
    }
}
