package dev.gpudev.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.slack.api.model.view.ViewState;
import com.slack.api.util.json.GsonFactory;
import org.junit.jupiter.api.Test;

import dev.gpudev.bot.conversation.Actions;
import dev.gpudev.bot.conversation.Button;
import dev.gpudev.bot.conversation.Field;
import dev.gpudev.bot.conversation.Form;
import dev.gpudev.bot.conversation.Message;
import dev.gpudev.bot.conversation.ReservationViews;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.testing.Fixtures;

/** The conversation's model as the Block Kit JSON Slack receives. */
class BlockKitTest {
    private static JsonArray json(Message m) {
        return GsonFactory.createSnakeCase().toJsonTree(BlockKit.blocks(m)).getAsJsonArray();
    }

    private static JsonObject block(JsonArray blocks, int i) {
        return blocks.get(i).getAsJsonObject();
    }

    @Test
    void theReadyDmIsItsTextTheButtonsAndTheNote() {
        Reservation r = Reservation.queued(new ReservationId("h100-7f3a"), Fixtures.ANA, "h100", 4, Duration.ofHours(2), RequestOptions.NONE, Fixtures.T0)
                .provisioning(List.of(new NodeName("h100-1")), Fixtures.T0)
                .active(new ServerAccess("h100-1.example.com", 22, "dev", null), Fixtures.T0);
        Message m = ReservationViews.of(new Notice.Ready(r));

        JsonArray blocks = json(m);

        assertThat(blocks).extracting(b -> b.getAsJsonObject().get("type").getAsString()).containsExactly("section", "actions", "context");
        assertThat(block(blocks, 0).getAsJsonObject("text").get("type").getAsString()).isEqualTo("mrkdwn");
        assertThat(block(blocks, 0).getAsJsonObject("text").get("text").getAsString())
                .startsWith(":white_check_mark: *h100-7f3a* is ready — 4 × H100 on h100-1, until <!date^").contains("\n```ssh ");
        JsonArray buttons = block(blocks, 1).getAsJsonArray("elements");
        assertThat(buttons).extracting(b -> b.getAsJsonObject().get("action_id").getAsString())
                .containsExactly(Actions.EXTEND_1H, Actions.EXTEND_4H, Actions.CANCEL);
        JsonObject release = buttons.get(2).getAsJsonObject();
        assertThat(release.get("style").getAsString()).isEqualTo("danger");
        assertThat(release.get("value").getAsString()).isEqualTo("h100-7f3a");
        assertThat(release.getAsJsonObject("confirm").get("style").getAsString()).isEqualTo("danger");
        assertThat(release.getAsJsonObject("confirm").getAsJsonObject("deny").get("text").getAsString()).isEqualTo("Keep it");
        assertThat(buttons.get(0).getAsJsonObject().has("style")).as("a plain button has no style").isFalse();
        assertThat(m.summary()).startsWith("h100-7f3a is ready — 4 × H100 on h100-1: ssh ");
    }

    @Test
    void headingFieldsAndItemsKeepTheirOrder() {
        Message m = Message.of("text").withHeading("Title").withFields(List.of(new Field("Type", "H100")))
                .withItems(List.of(new Message.Item("row", List.of(Button.of("a", "A", "1"))))).withNote("small print");

        assertThat(json(m)).extracting(b -> b.getAsJsonObject().get("type").getAsString())
                .containsExactly("header", "section", "section", "section", "actions", "context");
        assertThat(block(json(m), 2).getAsJsonArray("fields").get(0).getAsJsonObject().get("text").getAsString()).isEqualTo("*Type*\nH100");
        assertThat(BlockKit.textOnly(m)).isFalse();
        assertThat(BlockKit.textOnly(Message.of("just this"))).isTrue();
    }

    @Test
    void longTextIsCutAtLineEndsAndACodeBlockCutInTwoIsClosedAndReopened() {
        String log = String.join("\n", java.util.Collections.nCopies(200, "line of a log that goes on for a while"));
        String text = "failed. The end of its log:\n```" + log + "```\nafter";

        List<String> parts = BlockKit.sections(text);

        assertThat(parts).hasSizeGreaterThan(2).allSatisfy(p -> {
            assertThat(p.length()).isLessThanOrEqualTo(3000);
            assertThat(p.split("```", -1).length % 2).as("balanced code fences in " + p.substring(0, 20)).isEqualTo(1);
        });
        assertThat(String.join("", parts).replace("```", "").replace("\n", ""))
                .isEqualTo(text.replace("```", "").replace("\n", ""));
        assertThat(BlockKit.sections("short\ntext")).containsExactly("short\ntext");
    }

    @Test
    void rowsBeyondFiftyBlocksAreLeftOutWithANoteThatSaysHowMany() {
        List<Message.Item> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(new Message.Item("row " + i, List.of(Button.of("a", "A", String.valueOf(i)))));
        }
        JsonArray blocks = json(Message.of("Which one?").withItems(rows).withNote("note"));

        assertThat(blocks.size()).isLessThanOrEqualTo(50);
        assertThat(block(blocks, blocks.size() - 2).toString()).contains("… and 17 more not shown here.");
        assertThat(BlockKitLimits.message(BlockKit.blocks(Message.of("Which one?").withItems(rows)))).isEmpty();
    }

    @Test
    void aFormBecomesAModalWithItsChoicesAndWhatWasAlreadyChosen() {
        Form form = new Form("reserve_modal", "Reserve GPUs", "Reserve", "Cancel", "", List.of(
                new Form.Choice("type", "GPU type", "", false, "Choose", List.of(new Form.Option("H100 — 8/8 free", "h100")), "h100"),
                new Form.Checks("options", "Options", "", true, List.of(new Form.Option("Start Jupyter too", "jupyter")), List.of("jupyter")),
                new Form.Text("users", "Also let in", "comma separated", true, "octocat", 500, "hubot")), Map.of());

        JsonObject view = GsonFactory.createSnakeCase().toJsonTree(BlockKit.modal(form)).getAsJsonObject();

        assertThat(view.get("callback_id").getAsString()).isEqualTo("reserve_modal");
        JsonArray blocks = view.getAsJsonArray("blocks");
        assertThat(blocks).extracting(b -> b.getAsJsonObject().get("block_id").getAsString()).containsExactly("type", "options", "users");
        assertThat(block(blocks, 0).getAsJsonObject("element").getAsJsonObject("initial_option").get("value").getAsString()).isEqualTo("h100");
        assertThat(block(blocks, 0).has("hint")).isFalse();
        assertThat(block(blocks, 1).getAsJsonObject("element").getAsJsonArray("initial_options")).hasSize(1);
        assertThat(block(blocks, 2).getAsJsonObject("element").get("initial_value").getAsString()).isEqualTo("hubot");
        assertThat(block(blocks, 2).getAsJsonObject("hint").get("text").getAsString()).isEqualTo("comma separated");
    }

    private static ViewState.SelectedOption option(String value) {
        ViewState.SelectedOption o = new ViewState.SelectedOption();
        o.setValue(value);
        return o;
    }

    @Test
    void aSubmittedViewIsReadAsTheFormsValues() {
        ViewState.Value type = new ViewState.Value();
        type.setSelectedOption(option("h100"));
        ViewState.Value options = new ViewState.Value();
        options.setSelectedOptions(List.of(option("jupyter")));
        ViewState.Value users = new ViewState.Value();
        users.setValue("octocat");

        var values = BlockKit.values(Map.of("type", Map.of("type", type), "options", Map.of("options", options),
                "users", Map.of("users", users), "stray", Map.of("other", users)));

        assertThat(values).containsOnly(Map.entry("type", List.of("h100")), Map.entry("options", List.of("jupyter")),
                Map.entry("users", List.of("octocat")));
    }
}
