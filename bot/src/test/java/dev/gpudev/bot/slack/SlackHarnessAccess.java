package dev.gpudev.bot.slack;

import static dev.gpudev.bot.slack.SlackHarness.text;

import java.util.List;
import java.util.Map;

/** Lets tests of other packages drive a {@link SlackHarness}. */
public final class SlackHarnessAccess implements AutoCloseable {
    private final SlackHarness h;

    private SlackHarnessAccess(SlackHarness h) {
        this.h = h;
    }

    public static SlackHarnessAccess start(Map<String, String> config) throws Exception {
        return new SlackHarnessAccess(new SlackHarness(config));
    }

    public int reserve(String text, String user) throws Exception {
        return h.command(text, user).statusCode();
    }

    /** The text of the command's ack, the answer Slack shows at once. */
    public String ack(String text, String user) throws Exception {
        return text(h.command(text, user).body());
    }

    public String availability() throws Exception {
        return text(h.command("availability", "U0ANA").body());
    }

    /** What the bot posted to the user's response URL (answers that come after the ack). */
    public List<String> responses(String user) {
        return h.responses(user);
    }

    /** Decoded form bodies of the calls to one Web API method. */
    public List<String> sent(String method) {
        return h.sent(method);
    }

    public int press(String actionId, String value, String user) throws Exception {
        return h.press(actionId, value, user).statusCode();
    }

    @Override
    public void close() {
        h.close();
    }
}
