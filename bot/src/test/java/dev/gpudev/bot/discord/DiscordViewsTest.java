package dev.gpudev.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import net.dv8tion.jda.api.components.label.LabelChildComponent;
import net.dv8tion.jda.api.components.selections.StringSelectMenu;
import net.dv8tion.jda.api.components.textinput.TextInput;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.label.Label;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.gpudev.bot.conversation.Button;
import dev.gpudev.bot.conversation.Form;
import dev.gpudev.bot.conversation.Message;

/** The renderer keeps Discord's limits by cutting (JDA refuses a message or modal past them), and reads its own ids back. */
class DiscordViewsTest {

    @Test
    void thirtyButtonsBecomeFiveRowsOfFive() {
        List<Button> many = IntStream.range(0, 30).mapToObj(i -> Button.of("extend_1h", "Extend " + i, "h100-" + i + "|0")).toList();
        var data = DiscordViews.create(Message.of("many").withButtons(many));
        assertThat(data.getComponents()).hasSize(5);
        data.getComponents().forEach(row -> assertThat(((ActionRow) row).getComponents()).hasSize(5));
    }

    @Test
    void longTextIsCutToWhatDiscordTakes() {
        assertThat(DiscordViews.create(Message.of("x".repeat(3000))).getContent()).hasSize(2000);
        var embed = DiscordViews.create(Message.of("y".repeat(5000)).withHeading("h".repeat(300)).withNote("n")).getEmbeds().getFirst();
        assertThat(embed.getDescription()).hasSize(4096);
        assertThat(embed.getTitle()).hasSize(256);
    }

    @Test
    void aFormOfSevenInputsKeepsTheRequiredOnesInFive() {
        List<Form.Input> inputs = List.of(
                new Form.Choice("type", "GPU type", "", false, "Choose", List.of(new Form.Option("H100", "h100")), null),
                new Form.Choice("gpus", "GPUs", "", false, "How many",
                        IntStream.rangeClosed(1, 40).mapToObj(i -> new Form.Option(i + " GPUs", "" + i)).toList(), null),
                new Form.Choice("duration", "Duration", "", true, "Choose", List.of(new Form.Option("1h", "PT1H")), null),
                new Form.Text("custom", "Or another duration", "", true, "90m", 16, ""),
                new Form.Checks("options", "Options", "", true, List.of(new Form.Option("Jupyter", "jupyter")), List.of()),
                new Form.Text("users", "Also let in", "", true, "octocat", 500, ""),
                new Form.Text("image", "Image", "", true, "", 255, ""));
        var modal = DiscordViews.modal(new Form("reserve_modal", "Reserve GPUs", "Reserve", "Cancel", "", inputs, Map.of()));
        assertThat(modal.getComponents()).hasSize(5);
        assertThat(modal.getComponents().stream().map(c -> customId(((Label) c).getChild())))
                .containsExactly("type", "gpus", "duration", "custom", "options");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
            "*bold* and `*code*`;**bold** and `*code*`",
            "<@discord:210000000000000001> waits;<@210000000000000001> waits",
            "<@U0ANA> waits;`U0ANA` waits",
            ":white_check_mark: done;✅ done",
            "see <https://x.test/a|open> now;see [open](https://x.test/a) now"})
    void markupBecomesDiscordMarkdown(String markup, String markdown) {
        assertThat(DiscordViews.markdown(markup)).isEqualTo(markdown);
    }

    private static String customId(LabelChildComponent c) {
        return switch (c) {
            case StringSelectMenu m -> m.getCustomId();
            case TextInput t -> t.getCustomId();
            default -> c.toString();
        };
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "cancel/h100-7f3a;cancel;h100-7f3a;false",
            "ask/cancel/h100-7f3a;cancel;h100-7f3a;true",
            "extend_1h/h100-7f3a|60;extend_1h;h100-7f3a|60;false"})
    void aPressReadsBackWhatTheButtonCarried(String customId, String action, String value, boolean ask) {
        assertThat(DiscordViews.Press.of(customId)).contains(new DiscordViews.Press(action, value, ask));
    }

    @Test
    void aButtonThatAsksFirstCarriesAsk() {
        Button b = Button.of("cancel", "Release", "h100-7f3a").confirming(new Button.Confirm("Release?", "Gone at once.", "Release", "Keep it"));
        assertThat(DiscordViews.customId(b)).isEqualTo("ask/cancel/h100-7f3a");
        assertThat(DiscordViews.Press.of("not-ours")).isEmpty();
    }
}
