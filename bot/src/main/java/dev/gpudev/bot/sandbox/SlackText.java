package dev.gpudev.bot.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.gpudev.bot.conversation.PlainText;

/**
 * Renders the Block Kit JSON the sandbox's Slack receives as terminal text, collecting the buttons it shows: the console
 * is a Slack client, so it reads what Slack would. For a message within Slack's limits the lines equal
 * {@link PlainText}'s rendering of the model the JSON was rendered from.
 */
final class SlackText {
    /** A button shown on the console. */
    record Button(String actionId, String value, String label) {
    }

    /** Rendered text lines and the buttons, in order. */
    record Rendered(List<String> lines, List<Button> buttons) {
    }

    private SlackText() {
    }

    /** Slack's mrkdwn as the console shows it: the conversation's plain-text rendering of its markup. */
    static String mrkdwn(String s) {
        return PlainText.text(s);
    }

    static Rendered blocks(String text, String blocksJson) {
        return blocks(text, blocksJson, SlackText::mrkdwn);
    }

    /** @param render how a piece of mrkdwn is shown (as text, or as Discord's markdown) */
    static Rendered blocks(String text, String blocksJson, UnaryOperator<String> render) {
        List<String> lines = new ArrayList<>();
        List<Button> buttons = new ArrayList<>();
        if (blocksJson == null || blocksJson.isBlank()) {
            lines.add(render.apply(text));
            return new Rendered(lines, buttons);
        }
        JsonArray blocks = JsonParser.parseString(blocksJson).getAsJsonArray();
        for (JsonElement e : blocks) {
            JsonObject b = e.getAsJsonObject();
            switch (b.get("type").getAsString()) {
                case "section", "header" -> {
                    if (b.has("text")) {
                        lines.add(render.apply(b.getAsJsonObject("text").get("text").getAsString()));
                    }
                    if (b.has("fields")) {
                        b.getAsJsonArray("fields").forEach(f -> lines.add("  " + render.apply(f.getAsJsonObject().get("text").getAsString())));
                    }
                }
                case "context" -> b.getAsJsonArray("elements").forEach(c -> {
                    JsonObject o = c.getAsJsonObject();
                    if (o.has("text")) {
                        lines.add("  (" + render.apply(o.get("text").getAsString()) + ")");
                    }
                });
                case "actions" -> b.getAsJsonArray("elements").forEach(a -> {
                    JsonObject o = a.getAsJsonObject();
                    if ("button".equals(o.get("type").getAsString())) {
                        buttons.add(new Button(o.get("action_id").getAsString(), o.has("value") ? o.get("value").getAsString() : "",
                                o.getAsJsonObject("text").get("text").getAsString()));
                    }
                });
                case "divider" -> lines.add("  ----");
                default -> {
                }
            }
        }
        return new Rendered(lines, buttons);
    }
}
