package dev.gpudev.bot.sandbox;

import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import dev.gpudev.bot.conversation.Attachment;
import dev.gpudev.bot.discord.DiscordViews;

/**
 * A Slack workspace inside the sandbox: it answers the Web API methods the bot calls and the response URLs of
 * commands, and prints every message on the console as text, numbering the buttons so they can be pressed.
 */
public final class SandboxSlack implements HttpService {
    public static final String PATH = "/sandbox/slack";

    /** A button on the console and where it was shown. */
    public record Pressable(String actionId, String value, String label, String channel, String ts) {
    }

    private final PrintStream out;
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000_000L);
    private final List<Pressable> buttons = new CopyOnWriteArrayList<>();
    private final SandboxFiles files;
    private volatile boolean discord;

    public SandboxSlack(PrintStream out) {
        this(out, SandboxFiles.TEMP);
    }

    /** @param filesDir where uploaded files are saved; empty: a fresh temporary directory, made on the first upload */
    public SandboxSlack(PrintStream out, String filesDir) {
        this.out = out;
        this.files = new SandboxFiles(filesDir);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/api/{method}", this::api).post("/response/{channel}", this::response).post("/upload/{file}", this::upload);
    }

    /** Shows what follows as Discord shows it (its markdown, mentions and times), or as Slack does. */
    public void discord(boolean on) {
        discord = on;
    }

    private UnaryOperator<String> render() {
        return discord ? DiscordViews::markdown : SlackText::mrkdwn;
    }

    public List<Pressable> buttons() {
        return List.copyOf(buttons);
    }

    private void api(ServerRequest req, ServerResponse res) {
        String method = req.path().pathParameters().get("method");
        Map<String, String> p = form(req.content().hasEntity() ? req.content().as(String.class) : "");
        JsonObject answer = new JsonObject();
        answer.addProperty("ok", true);
        switch (method) {
            case "auth.test" -> {
                answer.addProperty("user_id", "UGPUDEVBOT");
                answer.addProperty("team_id", "TSANDBOX");
                answer.addProperty("bot_id", "BGPUDEVBOT");
                answer.addProperty("team", "sandbox");
                answer.addProperty("user", "gpu-dev-bot");
                answer.addProperty("url", "https://sandbox.slack.invalid/");
            }
            case "conversations.open" -> {
                JsonObject channel = new JsonObject();
                channel.addProperty("id", "D" + p.getOrDefault("users", "X").replace(",", "_"));
                answer.add("channel", channel);
            }
            case "chat.postMessage", "chat.update", "chat.postEphemeral" -> {
                String ts = p.getOrDefault("ts", next());
                String where = p.getOrDefault("channel", "?");
                String kind = switch (method) {
                    case "chat.update" -> "updated message " + ts;
                    case "chat.postEphemeral" -> "only visible to " + p.get("user");
                    default -> p.containsKey("thread_ts") ? "reply in thread " + p.get("thread_ts") : "message " + ts;
                };
                print((where.startsWith("D") ? "DM to " + where.substring(1) : "#" + where) + " — " + kind,
                        SlackText.blocks(p.getOrDefault("text", ""), p.get("blocks"), render()), where, ts);
                answer.addProperty("channel", where);
                answer.addProperty("ts", ts);
            }
            case "files.getUploadURLExternal" -> {
                String id = files.expect(p.getOrDefault("filename", "file"));
                answer.addProperty("file_id", id);
                answer.addProperty("upload_url", req.requestedUri().toUri().resolve(PATH + "/upload/" + id).toString());
            }
            case "files.completeUploadExternal" -> {
                String where = p.getOrDefault("channel_id", p.getOrDefault("channels", "?"));
                JsonArray shared = new JsonArray();
                for (var f : JsonParser.parseString(p.getOrDefault("files", "[]")).getAsJsonArray()) {
                    String id = f.getAsJsonObject().get("id").getAsString();
                    String title = f.getAsJsonObject().has("title") ? f.getAsJsonObject().get("title").getAsString() : "";
                    var saved = files.save(id);
                    if (saved.isEmpty()) {
                        answer.addProperty("ok", false);
                        answer.addProperty("error", "file_not_uploaded");
                        continue;
                    }
                    printFile(saved.get(), title, where);
                    JsonObject file = new JsonObject();
                    file.addProperty("id", id);
                    file.addProperty("title", title);
                    file.addProperty("name", saved.get().getFileName().toString());
                    shared.add(file);
                }
                answer.add("files", shared);
            }
            // The console cannot fill in a modal: refused, the bot answers with its text fallback instead of silence.
            case "views.open" -> {
                answer.addProperty("ok", false);
                answer.addProperty("error", "sandbox_has_no_forms");
            }
            default -> {
            }
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8").send(answer.toString());
    }

    /** The upload URL of {@code files.getUploadURLExternal}: the file's bytes, kept until the upload is completed. */
    private void upload(ServerRequest req, ServerResponse res) {
        byte[] body = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
        if (!files.received(req.path().pathParameters().get("file"), body)) {
            res.status(Status.BAD_REQUEST_400).send("unknown file or more than " + Attachment.MAX_BYTES + " bytes");
            return;
        }
        res.send("OK - " + body.length);
    }

    private synchronized void printFile(Path saved, String title, String where) {
        out.print("── file saved: " + saved.toAbsolutePath() + "\n  " + (title.isBlank() ? "" : title + ", ")
                + (where.startsWith("D") ? "in the DM to " + where.substring(1) : "in #" + where) + "\n");
        out.flush();
    }

    private void response(ServerRequest req, ServerResponse res) {
        JsonObject body = JsonParser.parseString(req.content().as(String.class)).getAsJsonObject();
        String text = body.has("text") ? body.get("text").getAsString() : "";
        String blocks = body.has("blocks") ? body.get("blocks").toString() : null;
        printEphemeral(text, blocks, req.path().pathParameters().get("channel"));
        res.send("ok");
    }

    /** Prints an ephemeral answer (an ack body or a response-URL post). */
    public void printEphemeral(String text, String blocks, String channel) {
        print("only visible to you", SlackText.blocks(text, blocks, render()), channel, next());
    }

    private synchronized void print(String header, SlackText.Rendered r, String channel, String ts) {
        StringBuilder b = new StringBuilder("── ").append(header).append(" ──\n");
        r.lines().forEach(l -> b.append("  ").append(l.replace("\n", "\n  ")).append('\n'));
        if (!r.buttons().isEmpty()) {
            b.append("  ");
            for (SlackText.Button button : r.buttons()) {
                buttons.add(new Pressable(button.actionId(), button.value(), button.label(), channel, ts));
                b.append("[b").append(buttons.size()).append(' ').append(button.label()).append("] ");
            }
            b.append("  (type b<N> to press)\n");
        }
        out.print(b);
        out.flush();
    }

    private String next() {
        long n = clock.incrementAndGet();
        return (n / 1_000_000) + "." + String.format("%06d", n % 1_000_000);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new HashMap<>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                m.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }
}
