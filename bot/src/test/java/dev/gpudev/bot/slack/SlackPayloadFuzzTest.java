package dev.gpudev.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;

import dev.gpudev.bot.conversation.ReserveForm;
import dev.gpudev.bot.sandbox.SignedSlackClient;

/**
 * Whatever a correctly signed request carries (a slash command's text, a button's id and value, the reserve form's
 * values, any form or JSON body), the bot's real route answers it without a 5xx. The input is text, so seeds are
 * hand-written: the first line is the kind ({@code command}, {@code button}, {@code modal}, {@code payload}, else a
 * raw body), the next lines its parts (see {@link #body}).
 */
class SlackPayloadFuzzTest {
    private static SlackHarness harness;

    @FuzzTest(maxDuration = "2m")
    void everySignedRequestIsAnsweredWithoutA5xx(FuzzedDataProvider data) throws Exception {
        // the bot posts to the response_url of a signed request, which only Slack can send: not an SSRF here
        BugDetectors.allowNetworkConnections();
        String input = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);
        HttpResponse<String> response = harness().slack.post(body(input));
        assertThat(response.statusCode()).as("status for %s", input).isLessThan(500);
    }

    /**
     * {@code command\n<text>}, {@code button\n<action id>\n<value>}, {@code modal\n<type>\n<gpus>\n<preset>\n<custom>\n<users>\n<image>}
     * (an empty line leaves that input out), {@code payload\n<JSON>} (as {@code payload=}), else the input is the body.
     */
    static String body(String input) {
        List<String> lines = input.lines().toList();
        String kind = lines.isEmpty() ? "" : lines.getFirst();
        String user = "U0FUZZ";
        String responseUrl = harness().slackApi.baseUrl() + "/response/" + user;
        return switch (kind) {
            case "command" -> SignedSlackClient.commandBody("/gpu", part(lines, 1), user, responseUrl);
            case "button" -> SignedSlackClient.actionBody(part(lines, 1), part(lines, 2), user, "D0FUZZ", "1700000000.000100", responseUrl);
            case "modal" -> {
                Map<String, JsonObject> values = new LinkedHashMap<>();
                selected(values, "type", part(lines, 1));
                selected(values, "gpus", part(lines, 2));
                selected(values, "duration", part(lines, 3));
                typed(values, "custom", part(lines, 4));
                typed(values, "users", part(lines, 5));
                typed(values, "image", part(lines, 6));
                yield SignedSlackClient.viewSubmissionBody(ReserveForm.ID, user, values);
            }
            case "payload" -> "payload=" + URLEncoder.encode(String.join("\n", lines.subList(1, lines.size())), StandardCharsets.UTF_8);
            default -> input;
        };
    }

    private static String part(List<String> lines, int i) {
        return i < lines.size() ? lines.get(i) : "";
    }

    private static void selected(Map<String, JsonObject> values, String block, String value) {
        if (!value.isEmpty()) {
            values.put(block, SlackHarness.selected(value));
        }
    }

    private static void typed(Map<String, JsonObject> values, String block, String value) {
        if (!value.isEmpty()) {
            values.put(block, SlackHarness.typed(value));
        }
    }

    private static synchronized SlackHarness harness() {
        if (harness == null) {
            try {
                harness = new SlackHarness(Map.of());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return harness;
    }

    @AfterAll
    static synchronized void stop() {
        if (harness != null) {
            harness.close();
            harness = null;
        }
    }
}
