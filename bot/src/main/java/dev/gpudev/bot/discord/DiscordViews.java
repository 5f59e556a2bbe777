package dev.gpudev.bot.discord;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.dv8tion.jda.api.EmbedBuilder;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.label.Label;
import net.dv8tion.jda.api.components.selections.SelectOption;
import net.dv8tion.jda.api.components.selections.StringSelectMenu;
import net.dv8tion.jda.api.components.textinput.TextInput;
import net.dv8tion.jda.api.components.textinput.TextInputStyle;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.modals.Modal;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;
import net.dv8tion.jda.api.utils.messages.MessageEditData;

import dev.gpudev.bot.conversation.Button;
import dev.gpudev.bot.conversation.Form;
import dev.gpudev.bot.conversation.Markup;
import dev.gpudev.bot.conversation.Message;

/**
 * The conversation model as Discord shows it. Pure functions. A message with only text is plain content; anything
 * richer is one embed (heading as title, text as description, fields, items as lines, the note as footer) with its
 * buttons in action rows. Discord has no confirm dialog on a button: a button that asks first carries {@link #ASK}, and
 * its press is answered with {@link #confirm}. Discord's limits are kept by cutting, never by failing.
 */
public final class DiscordViews {
    /** The custom id of a button: {@code action/value}; a button that asks first: {@code ask/action/value}. */
    public static final String ASK = "ask";
    /** "Keep it": the no of a confirm; it changes nothing. */
    public static final String DISMISS = "dismiss";
    static final int MAX_ROWS = 5;
    static final int MAX_BUTTONS_PER_ROW = 5;
    static final int MAX_MODAL_INPUTS = 5;
    static final int EMBED_COLOUR = 0x5865F2;
    private static final Pattern DISCORD_USER = Pattern.compile("<@" + Pattern.quote(DiscordUsers.PREFIX) + "(\\d+)>");
    private static final Pattern OTHER_USER = Pattern.compile("<@([A-Za-z0-9_]+)>");

    private DiscordViews() {
    }

    /** What a press carries: the action, its value, and whether it still has to be confirmed. */
    public record Press(String action, String value, boolean ask) {
        public static Optional<Press> of(String customId) {
            boolean ask = customId.startsWith(ASK + "/");
            String rest = ask ? customId.substring(ASK.length() + 1) : customId;
            int slash = rest.indexOf('/');
            return slash <= 0 ? Optional.empty() : Optional.of(new Press(rest.substring(0, slash), rest.substring(slash + 1), ask));
        }
    }

    public static MessageCreateData create(Message m) {
        MessageCreateBuilder b = new MessageCreateBuilder();
        if (simple(m)) {
            b.setContent(content(m.text()));
        } else {
            b.setEmbeds(embed(m));
        }
        if (m.attachment() != null) {
            b.setFiles(FileUpload.fromData(m.attachment().bytes(), m.attachment().filename()));
        }
        return b.setComponents(rows(m.allButtons())).build();
    }

    public static MessageEditData edit(Message m) {
        MessageEditBuilder b = new MessageEditBuilder();
        if (simple(m)) {
            b.setContent(content(m.text())).setEmbeds(List.of());
        } else {
            b.setContent("").setEmbeds(embed(m));
        }
        return b.setComponents(rows(m.allButtons())).build();
    }

    /** The question a button with a confirm asks: its text, then the button itself (now without asking) and "no". */
    public static MessageCreateData confirm(Button b) {
        Button.Confirm c = b.confirm() == null ? new Button.Confirm("Sure?", "", b.label(), "Keep it") : b.confirm();
        Message ask = Message.of("*" + Markup.escape(c.title()) + "*\n" + c.text())
                .withButtons(List.of(new Button(b.action(), c.yes(), b.value(), b.style(), null),
                        Button.of(DISMISS, c.no(), "-")));
        return create(ask);
    }

    /**
     * The form as a modal: a choice is a select menu, ticks a select of several, free text a text input, each with its
     * label. Discord takes five inputs; the optional ones beyond that are left out (the slash command's options set
     * them), and the form's notice and errors go to the answer, which a modal has no place for.
     */
    public static Modal modal(Form f) {
        List<Form.Input> inputs = new ArrayList<>(f.inputs());
        while (inputs.size() > MAX_MODAL_INPUTS) {
            Form.Input drop = inputs.reversed().stream().filter(Form.Input::optional).findFirst().orElse(inputs.getLast());
            inputs.remove(drop);
        }
        Modal.Builder b = Modal.create(f.id(), cut(f.title(), 45));
        for (Form.Input in : inputs) {
            b.addComponents(Label.of(cut(in.label(), 45), in.hint().isBlank() ? null : cut(in.hint(), 100), switch (in) {
                case Form.Choice c -> StringSelectMenu.create(c.id()).setPlaceholder(cut(c.placeholder(), 150))
                        .addOptions(c.options().stream().limit(25).map(o -> SelectOption.of(cut(o.label(), 100), cut(o.value(), 100))).toList())
                        .setDefaultValues(c.initial() == null ? List.of() : List.of(c.initial()))
                        .setRequired(!c.optional()).build();
                case Form.Checks c -> StringSelectMenu.create(c.id())
                        .addOptions(c.options().stream().limit(25).map(o -> SelectOption.of(cut(o.label(), 100), cut(o.value(), 100))).toList())
                        .setDefaultValues(c.initial()).setRequiredRange(c.optional() ? 0 : 1, Math.min(25, c.options().size()))
                        .setRequired(!c.optional()).build();
                case Form.Text t -> TextInput.create(t.id(), TextInputStyle.SHORT).setRequired(!t.optional())
                        .setMaxLength(Math.min(4000, Math.max(1, t.maxLength())))
                        .setPlaceholder(t.placeholder().isBlank() ? null : cut(t.placeholder(), 100))
                        .setValue(t.initial().isBlank() ? null : t.initial()).build();
            }));
        }
        return b.build();
    }

    /** Message markup to Discord markdown, with users as Discord mentions (Discord users) or plain ids (Slack users). */
    public static String markdown(String markup) {
        String md = Markup.markdown(markup);
        md = DISCORD_USER.matcher(md).replaceAll("<@$1>");
        return OTHER_USER.matcher(md).replaceAll(m -> m.group(1).chars().allMatch(Character::isDigit)
                ? Matcher.quoteReplacement(m.group()) : Matcher.quoteReplacement("`" + m.group(1) + "`"));
    }

    private static boolean simple(Message m) {
        return m.heading() == null && m.fields().isEmpty() && m.items().isEmpty() && m.note().isBlank();
    }

    private static String content(String markup) {
        return cut(markdown(markup), 2000);
    }

    private static MessageEmbed embed(Message m) {
        EmbedBuilder e = new EmbedBuilder().setColor(EMBED_COLOUR);
        if (m.heading() != null) {
            e.setTitle(cut(Markup.plain(m.heading()), 256));
        }
        StringBuilder description = new StringBuilder(markdown(m.text()));
        for (Message.Item item : m.items()) {
            description.append('\n').append(markdown(item.text()));
        }
        e.setDescription(cut(description.toString(), 4096));
        m.fields().stream().limit(25).forEach(f -> e.addField(cut(Markup.plain(f.label()), 256), cut(markdown(f.value()), 1024), true));
        if (!m.note().isBlank()) {
            e.setFooter(cut(Markup.plain(Markup.markdown(m.note())), 2048));
        }
        return e.build();
    }

    private static List<ActionRow> rows(List<Button> buttons) {
        List<ActionRow> rows = new ArrayList<>();
        List<net.dv8tion.jda.api.components.buttons.Button> row = new ArrayList<>();
        for (Button b : buttons.stream().limit((long) MAX_ROWS * MAX_BUTTONS_PER_ROW).toList()) {
            row.add(button(b));
            if (row.size() == MAX_BUTTONS_PER_ROW) {
                rows.add(ActionRow.of(row));
                row = new ArrayList<>();
            }
        }
        if (!row.isEmpty()) {
            rows.add(ActionRow.of(row));
        }
        return rows;
    }

    static String customId(Button b) {
        return cut((b.confirm() != null ? ASK + "/" : "") + b.action() + "/" + b.value(), 100);
    }

    private static net.dv8tion.jda.api.components.buttons.Button button(Button b) {
        String id = customId(b);
        String label = cut(b.label(), 80);
        return switch (b.style()) {
            case PLAIN -> net.dv8tion.jda.api.components.buttons.Button.secondary(id, label);
            case PRIMARY -> net.dv8tion.jda.api.components.buttons.Button.primary(id, label);
            case DANGER -> net.dv8tion.jda.api.components.buttons.Button.danger(id, label);
        };
    }

    static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
