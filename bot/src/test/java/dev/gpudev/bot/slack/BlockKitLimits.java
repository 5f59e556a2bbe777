package dev.gpudev.bot.slack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.slack.api.util.json.GsonFactory;

/** Slack's documented Block Kit limits, checked on the JSON Slack would receive. Returns every breach found. */
final class BlockKitLimits {
    private static final Gson GSON = GsonFactory.createSnakeCase();
    /** Maximum length of a field, by the type of the object that holds it. */
    private static final Map<String, Integer> TEXT = Map.of("section", 3000, "header", 150, "button", 75, "option", 75,
            "context", 3000);

    private BlockKitLimits() {
    }

    static List<String> message(Object blocks) {
        JsonArray array = GSON.toJsonTree(blocks).getAsJsonArray();
        List<String> breaches = new ArrayList<>();
        if (array.size() > 50) {
            breaches.add("a message has " + array.size() + " blocks (max 50)");
        }
        array.forEach(b -> block(b.getAsJsonObject(), breaches));
        return breaches;
    }

    static List<String> view(Object view) {
        JsonObject v = GSON.toJsonTree(view).getAsJsonObject();
        List<String> breaches = new ArrayList<>();
        JsonArray blocks = v.getAsJsonArray("blocks");
        if (blocks.size() > 100) {
            breaches.add("a view has " + blocks.size() + " blocks (max 100)");
        }
        for (String field : List.of("title", "submit", "close")) {
            if (v.has(field)) {
                max(breaches, "view " + field, text(v.getAsJsonObject(field)), 24);
            }
        }
        blocks.forEach(b -> block(b.getAsJsonObject(), breaches));
        return breaches;
    }

    private static void block(JsonObject b, List<String> breaches) {
        String type = b.get("type").getAsString();
        if (b.has("block_id")) {
            max(breaches, "block_id", b.get("block_id").getAsString(), 255);
        }
        switch (type) {
            case "section", "header" -> max(breaches, type + " text", text(b.getAsJsonObject("text")), TEXT.get(type));
            case "context" -> {
                JsonArray elements = b.getAsJsonArray("elements");
                if (elements.size() > 10) {
                    breaches.add("context has " + elements.size() + " elements (max 10)");
                }
                elements.forEach(e -> max(breaches, "context text", text(e.getAsJsonObject()), 3000));
            }
            case "actions" -> {
                JsonArray elements = b.getAsJsonArray("elements");
                if (elements.size() > 25) {
                    breaches.add("actions has " + elements.size() + " elements (max 25)");
                }
                elements.forEach(e -> element(e.getAsJsonObject(), breaches));
            }
            case "input" -> {
                max(breaches, "input label", text(b.getAsJsonObject("label")), 2000);
                if (b.has("hint")) {
                    max(breaches, "input hint", text(b.getAsJsonObject("hint")), 2000);
                }
                element(b.getAsJsonObject("element"), breaches);
            }
            default -> {
            }
        }
    }

    private static void element(JsonObject e, List<String> breaches) {
        if (e.has("action_id")) {
            max(breaches, "action_id", e.get("action_id").getAsString(), 255);
        }
        if (e.has("placeholder")) {
            max(breaches, "placeholder", text(e.getAsJsonObject("placeholder")), 150);
        }
        switch (e.get("type").getAsString()) {
            case "button" -> {
                max(breaches, "button text", text(e.getAsJsonObject("text")), 75);
                if (e.has("value")) {
                    max(breaches, "button value", e.get("value").getAsString(), 2000);
                }
                if (e.has("confirm")) {
                    JsonObject c = e.getAsJsonObject("confirm");
                    max(breaches, "confirm title", text(c.getAsJsonObject("title")), 100);
                    max(breaches, "confirm text", text(c.getAsJsonObject("text")), 300);
                    max(breaches, "confirm button", text(c.getAsJsonObject("confirm")), 30);
                    max(breaches, "deny button", text(c.getAsJsonObject("deny")), 30);
                }
            }
            case "static_select", "checkboxes" -> {
                JsonArray options = e.getAsJsonArray("options");
                if (options.size() > 100) {
                    breaches.add(e.get("type").getAsString() + " has " + options.size() + " options (max 100)");
                }
                for (JsonElement o : options) {
                    max(breaches, "option text", text(o.getAsJsonObject().getAsJsonObject("text")), 75);
                    max(breaches, "option value", o.getAsJsonObject().get("value").getAsString(), 150);
                }
            }
            default -> {
            }
        }
    }

    private static String text(JsonObject textObject) {
        return textObject == null || !textObject.has("text") ? "" : textObject.get("text").getAsString();
    }

    private static void max(List<String> breaches, String what, String value, int limit) {
        if (value.length() > limit) {
            breaches.add(what + " is " + value.length() + " characters (max " + limit + "): " + value.substring(0, Math.min(40, value.length())) + "…");
        }
    }
}
