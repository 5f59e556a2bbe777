package dev.gpudev.bot.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.option;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;
import static com.slack.api.model.block.element.BlockElements.checkboxes;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;
import static com.slack.api.model.block.element.BlockElements.staticSelect;
import static com.slack.api.model.view.Views.view;
import static com.slack.api.model.view.Views.viewClose;
import static com.slack.api.model.view.Views.viewSubmit;
import static com.slack.api.model.view.Views.viewTitle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.ConfirmationDialogObject;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;

import dev.gpudev.bot.conversation.Button;
import dev.gpudev.bot.conversation.Field;
import dev.gpudev.bot.conversation.Form;
import dev.gpudev.bot.conversation.Markup;
import dev.gpudev.bot.conversation.Message;

/**
 * The conversation's model as Slack Block Kit, built with Bolt's builders, within Slack's limits: a message's text is
 * Slack mrkdwn as it is ({@link Markup} is a part of it), cut into sections of at most 3,000 characters at line ends
 * (a code block cut in two is closed and reopened); labels, fields and options are cut to Slack's lengths; rows beyond
 * a message's 50 blocks (a view's 100) are left out with a note that says how many. Pure functions.
 */
public final class BlockKit {
    static final int MESSAGE_BLOCKS = 50;
    static final int VIEW_BLOCKS = 100;
    private static final int SECTION_TEXT = 3000;

    private static final Pattern FOREIGN_USER = Pattern.compile("<@([a-z]+):([0-9]+)(?:\\|[^>]*)?>");

    private BlockKit() {
    }

    /** Nothing but text: Slack gets it as a message's text (mrkdwn), without blocks. */
    public static boolean textOnly(Message m) {
        return m.heading() == null && m.fields().isEmpty() && m.buttons().isEmpty() && m.items().isEmpty() && m.note().isBlank();
    }

    public static List<LayoutBlock> blocks(Message m) {
        return blocks(slack(m), MESSAGE_BLOCKS);
    }

    /** The Home tab: the message as a view of its own. */
    public static View home(Message m) {
        return view(v -> v.type("home").blocks(blocks(slack(m), VIEW_BLOCKS)));
    }

    /**
     * Users of another platform (namespaced ids such as {@code discord:123…}, see DiscordUsers) as plain text: Slack
     * would draw {@code <@discord:123…>} as a broken mention. Slack users stay mentions.
     */
    public static String slack(String markup) {
        return FOREIGN_USER.matcher(markup).replaceAll(u -> Matcher.quoteReplacement(
                Character.toUpperCase(u.group(1).charAt(0)) + u.group(1).substring(1) + " user " + u.group(2)));
    }

    private static Message slack(Message m) {
        return new Message(m.heading() == null ? null : slack(m.heading()), slack(m.text()),
                m.fields().stream().map(f -> new Field(slack(f.label()), slack(f.value()))).toList(), m.buttons(),
                m.items().stream().map(i -> new Message.Item(slack(i.text()), i.buttons())).toList(), slack(m.note()),
                slack(m.summary()), m.replaces(), m.attachment());
    }

    private static List<LayoutBlock> blocks(Message m, int max) {
        List<LayoutBlock> head = new ArrayList<>();
        if (m.heading() != null && !m.heading().isBlank()) {
            head.add(header(h -> h.text(plainText(Markup.truncate(m.heading(), 150)))));
        }
        for (String part : sections(m.text())) {
            head.add(section(s -> s.text(markdownText(part))));
        }
        for (int i = 0; i < m.fields().size(); i += 10) {
            List<TextObject> fields = m.fields().subList(i, Math.min(i + 10, m.fields().size())).stream().map(BlockKit::field).toList();
            head.add(section(s -> s.fields(fields)));
        }
        if (!m.buttons().isEmpty()) {
            head.add(actions(buttons(m.buttons())));
        }
        List<LayoutBlock> tail = m.note().isBlank() ? List.of()
                : List.of(context(c -> c.elements(List.of(markdownText(Markup.truncate(m.note(), SECTION_TEXT))))));
        List<LayoutBlock> all = new ArrayList<>(head);
        int room = max - head.size() - tail.size() - 1;
        int shown = 0;
        for (Message.Item item : m.items()) {
            List<LayoutBlock> row = new ArrayList<>();
            sections(item.text()).forEach(part -> row.add(section(s -> s.text(markdownText(part)))));
            if (!item.buttons().isEmpty()) {
                row.add(actions(buttons(item.buttons())));
            }
            if (row.size() > room) {
                break;
            }
            all.addAll(row);
            room -= row.size();
            shown++;
        }
        int left = m.items().size() - shown;
        if (left > 0) {
            all.add(context(c -> c.elements(List.of(markdownText("… and " + left + " more not shown here.")))));
        }
        all.addAll(tail);
        return all;
    }

    private static TextObject field(Field f) {
        return markdownText(Markup.truncate("*" + f.label() + "*\n" + f.value(), 2000));
    }

    private static List<BlockElement> buttons(List<Button> buttons) {
        return buttons.stream().limit(25).<BlockElement>map(BlockKit::render).toList();
    }

    static BlockElement render(Button b) {
        return button(e -> {
            e.actionId(b.action()).text(plainText(Markup.truncate(b.label(), 75))).value(Markup.truncate(b.value(), 2000));
            switch (b.style()) {
                case PRIMARY -> e.style("primary");
                case DANGER -> e.style("danger");
                case PLAIN -> {
                }
            }
            if (b.confirm() != null) {
                Button.Confirm c = b.confirm();
                e.confirm(ConfirmationDialogObject.builder().title(plainText(Markup.truncate(c.title(), 100)))
                        .text(markdownText(Markup.truncate(c.text(), 300))).confirm(plainText(Markup.truncate(c.yes(), 30)))
                        .deny(plainText(Markup.truncate(c.no(), 30))).style(b.style() == Button.Style.DANGER ? "danger" : null).build());
            }
            return e;
        });
    }

    /** Text in parts of at most 3,000 characters, cut at line ends; a code block cut in two is closed and reopened. */
    static List<String> sections(String text) {
        if (text.isBlank()) {
            return List.of();
        }
        int max = SECTION_TEXT - 6;
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            for (; line.length() > max; line = line.substring(max)) {
                lines.add(line.substring(0, max));
            }
            lines.add(line);
        }
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean inCode = false;
        boolean fresh = true;
        for (String line : lines) {
            if (!fresh && part.length() + 1 + line.length() > max) {
                parts.add(inCode ? part + "```" : part.toString());
                part = new StringBuilder(inCode ? "```" : "");
                fresh = true;
            }
            part.append(fresh ? "" : "\n").append(line);
            fresh = false;
            inCode ^= (line.split("```", -1).length - 1) % 2 == 1;
        }
        parts.add(part.toString());
        return parts;
    }

    /** The reserve form (or any form) as a modal; its errors travel separately, in the submission's answer. */
    public static View modal(Form form) {
        List<LayoutBlock> blocks = new ArrayList<>();
        if (!form.notice().isBlank()) {
            blocks.add(section(s -> s.text(markdownText(Markup.truncate(form.notice(), SECTION_TEXT)))));
        }
        for (Form.Input in : form.inputs()) {
            blocks.add(input(i -> {
                i.blockId(in.id()).label(plainText(Markup.truncate(in.label(), 2000))).optional(in.optional());
                if (!in.hint().isBlank()) {
                    i.hint(plainText(Markup.truncate(in.hint(), 2000)));
                }
                return i.element(element(in));
            }));
        }
        return view(v -> v.type("modal").callbackId(form.id()).title(viewTitle(t -> t.type("plain_text").text(Markup.truncate(form.title(), 24))))
                .submit(viewSubmit(s -> s.type("plain_text").text(Markup.truncate(form.submit(), 24))))
                .close(viewClose(c -> c.type("plain_text").text(Markup.truncate(form.close(), 24))))
                .blocks(blocks));
    }

    private static BlockElement element(Form.Input in) {
        return switch (in) {
            case Form.Choice c -> {
                List<OptionObject> options = c.options().stream().limit(100).map(BlockKit::render).toList();
                yield staticSelect(s -> {
                    s.actionId(c.id()).options(options).placeholder(plainText(Markup.truncate(c.placeholder(), 150)));
                    options.stream().filter(o -> o.getValue().equals(c.initial())).findFirst().ifPresent(s::initialOption);
                    return s;
                });
            }
            case Form.Checks c -> {
                List<OptionObject> options = c.options().stream().limit(10).map(BlockKit::render).toList();
                yield checkboxes(x -> {
                    x.actionId(c.id()).options(options);
                    List<OptionObject> ticked = options.stream().filter(o -> c.initial().contains(o.getValue())).toList();
                    if (!ticked.isEmpty()) {
                        x.initialOptions(ticked);
                    }
                    return x;
                });
            }
            case Form.Text t -> plainTextInput(p -> {
                p.actionId(t.id()).placeholder(plainText(Markup.truncate(t.placeholder(), 150))).maxLength(t.maxLength());
                if (!t.initial().isBlank()) {
                    p.initialValue(t.initial());
                }
                return p;
            });
        };
    }

    private static OptionObject render(Form.Option o) {
        return option(plainText(Markup.truncate(o.label(), 75)), o.value());
    }

    /** A submitted view's state as the form's values: per input id, the chosen option values or the typed text. */
    public static Map<String, List<String>> values(Map<String, Map<String, ViewState.Value>> state) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        state.forEach((block, actions) -> actions.forEach((action, v) -> {
            List<String> got = new ArrayList<>();
            if (v.getSelectedOption() != null) {
                got.add(v.getSelectedOption().getValue());
            }
            if (v.getSelectedOptions() != null) {
                v.getSelectedOptions().forEach(o -> got.add(o.getValue()));
            }
            if (v.getValue() != null) {
                got.add(v.getValue());
            }
            if (block.equals(action)) {
                values.put(block, got);
            }
        }));
        return values;
    }
}
