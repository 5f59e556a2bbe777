package dev.gpudev.bot.conversation;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One message of the bot, chat-neutral. Read top to bottom: an optional {@code heading}, the {@code text}, its
 * {@code fields}, its {@code buttons}, then {@code items} (rows that carry buttons of their own: a reservation in a
 * list, a choice of which to cancel), and a small {@code note} at the end. Text is in {@link Markup}.
 *
 * @param summary  the text of a notification (no markup), and what a client without rich messages shows
 * @param replaces   the platform's reference of an earlier message this one replaces in place (Slack: {@code
 *                   channel:ts}), or null for a new message
 * @param attachment a file that goes with the message (a picture, a CSV), or null
 */
public record Message(@Nullable String heading, String text, List<Field> fields, List<Button> buttons, List<Item> items,
                      String note, String summary, @Nullable String replaces, @Nullable Attachment attachment) {
    public Message {
        fields = List.copyOf(fields);
        buttons = List.copyOf(buttons);
        items = List.copyOf(items);
    }

    /** A message without a file. */
    public Message(@Nullable String heading, String text, List<Field> fields, List<Button> buttons, List<Item> items,
                   String note, String summary, @Nullable String replaces) {
        this(heading, text, fields, buttons, items, note, summary, replaces, null);
    }

    /** A row with buttons of its own. */
    public record Item(String text, List<Button> buttons) {
        public Item {
            buttons = List.copyOf(buttons);
        }
    }

    /** Just text; the summary is the text without markup. */
    public static Message of(String text) {
        return new Message(null, text, List.of(), List.of(), List.of(), "", Markup.plain(text), null);
    }

    public Message withHeading(String h) {
        return new Message(h, text, fields, buttons, items, note, summary, replaces, attachment);
    }

    public Message withFields(List<Field> f) {
        return new Message(heading, text, f, buttons, items, note, summary, replaces, attachment);
    }

    public Message withButtons(List<Button> b) {
        return new Message(heading, text, fields, b, items, note, summary, replaces, attachment);
    }

    public Message withItems(List<Item> i) {
        return new Message(heading, text, fields, buttons, i, note, summary, replaces, attachment);
    }

    public Message withItem(Item i) {
        List<Item> all = new ArrayList<>(items);
        all.add(i);
        return withItems(all);
    }

    public Message withNote(String n) {
        return new Message(heading, text, fields, buttons, items, n, summary, replaces, attachment);
    }

    public Message withSummary(String s) {
        return new Message(heading, text, fields, buttons, items, note, s, replaces, attachment);
    }

    public Message replacing(@Nullable String ref) {
        return new Message(heading, text, fields, buttons, items, note, summary, ref, attachment);
    }

    public Message withAttachment(@Nullable Attachment file) {
        return new Message(heading, text, fields, buttons, items, note, summary, replaces, file);
    }

    /** Every button, the message's and the items', in reading order. */
    public List<Button> allButtons() {
        List<Button> all = new ArrayList<>(buttons);
        items.forEach(i -> all.addAll(i.buttons()));
        return all;
    }
}
