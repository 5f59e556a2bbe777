package dev.gpudev.bot.discord;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.jspecify.annotations.Nullable;

/**
 * A local Discord for JDA: a REST API on the JDK's HTTP server that records every call and answers the few JDA makes
 * (who am I, guild commands, DMs, messages, interaction callbacks, follow-ups), and a gateway over a local WebSocket
 * that says HELLO, answers IDENTIFY with READY, acks heartbeats, and delivers INTERACTION_CREATE events. Messages are
 * kept by id, so a test can see whether one was edited or posted again.
 */
final class FakeDiscord implements AutoCloseable {
    static final long APP = 700000000000000001L;
    static final long GUILD = 123456789012345678L;
    static final String TOKEN = "discord-test-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DM_OPEN = Pattern.compile("/api/v10/users/@me/channels");
    private static final Pattern MESSAGES = Pattern.compile("/api/v10/channels/(\\d+)/messages(?:/(\\d+))?");
    private static final Pattern CALLBACK = Pattern.compile("/api/v10/interactions/(\\d+)/([^/]+)/callback");
    private static final Pattern WEBHOOK = Pattern.compile("/api/v10/webhooks/(\\d+)/([^/]+)(?:/messages/(@original|\\d+))?");
    private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"");
    private static final Pattern COMMANDS = Pattern.compile("/api/v10/applications/(\\d+)/(?:guilds/(\\d+)/)?commands");

    record Call(String method, String path, JsonNode body) {
    }

    /** A file sent as a part of a multipart request (a message's attachment). */
    record Upload(String path, String filename, byte[] bytes) {
    }

    /** A message as the fake Discord holds it now; {@code edits} counts the PATCHes it took. */
    record Stored(long id, long channel, JsonNode body, int edits) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Upload> uploads = new CopyOnWriteArrayList<>();
    final List<Stored> messages = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private volatile @Nullable String holdText;
    private final CountDownLatch release = new CountDownLatch(1);
    private final HttpServer rest;
    private final ExecutorService restThreads = Executors.newFixedThreadPool(4);
    private final Gateway gateway;

    FakeDiscord() throws Exception {
        rest = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        rest.createContext("/", this::handle);
        // Several at once, so that a held request (hold) does not hold the others.
        rest.setExecutor(restThreads);
        rest.start();
        gateway = new Gateway();
        gateway.start();
        if (!gateway.started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the fake gateway did not start");
        }
    }

    String apiUrl() {
        return "http://127.0.0.1:" + rest.getAddress().getPort() + "/api/v10/";
    }

    String gatewayUrl() {
        return "ws://127.0.0.1:" + gateway.getPort();
    }

    boolean ready() {
        return gateway.readySent;
    }

    List<Call> calls(String method, String pathPart) {
        return calls.stream().filter(c -> c.method().equals(method) && c.path().contains(pathPart)).toList();
    }

    /** Interaction callbacks Discord got for {@code interaction}. */
    List<JsonNode> callbacks(long interaction) {
        return calls("POST", "/interactions/" + interaction + "/").stream().map(Call::body).toList();
    }

    /** What the asker of {@code interaction} was shown after a deferral (follow-ups and edits of the original). */
    List<JsonNode> followUps(long interaction) {
        String token = "token-" + interaction;
        return calls.stream().filter(c -> c.path().contains("/webhooks/" + APP + "/" + token)).map(Call::body).toList();
    }

    /** The messages posted in {@code channel} (a DM channel is the user's id plus one). */
    List<Stored> messagesIn(long channel) {
        return messages.stream().filter(m -> m.channel() == channel).toList();
    }

    static long dmChannel(long user) {
        return user + 1;
    }

    /** A snowflake of now: JDA reads an interaction's age from its id and refuses to answer one older than 15 minutes. */
    long nextId() {
        return ((System.currentTimeMillis() - 1420070400000L) << 22) | (ids.incrementAndGet() & 0x3FFFFF);
    }

    // ---- the gateway's side -------------------------------------------------------------------------------------

    /** Delivers an interaction, as Discord's gateway does; the same payload twice is a replay. */
    void deliver(ObjectNode interaction) {
        ObjectNode event = JSON.createObjectNode().put("op", 0).put("s", sequence.incrementAndGet()).put("t", "INTERACTION_CREATE");
        event.set("d", interaction);
        gateway.broadcast(event.toString());
    }

    /** A {@code /gpu <sub>} in the guild by {@code user}, with options given as name, value pairs. */
    ObjectNode slash(long id, long user, String sub, Object... options) {
        ObjectNode d = base(id, 2, user, true);
        ObjectNode data = d.putObject("data").put("id", 800000000000000001L).put("name", "gpu").put("type", 1);
        ObjectNode subcommand = data.putArray("options").addObject().put("name", sub).put("type", 1);
        var opts = subcommand.putArray("options");
        for (int i = 0; i < options.length; i += 2) {
            ObjectNode o = opts.addObject().put("name", (String) options[i]);
            switch (options[i + 1]) {
                case Long mentioned -> {
                    String uid = Long.toUnsignedString(mentioned);
                    o.put("type", 6).put("value", uid);
                    data.with("resolved").with("users").set(uid, user(mentioned));
                }
                case Integer n -> o.put("type", 4).put("value", n);
                case Boolean b -> o.put("type", 5).put("value", b);
                default -> o.put("type", 3).put("value", String.valueOf(options[i + 1]));
            }
        }
        return d;
    }

    /** A press of the button {@code customId} on {@code message}, in the DM of {@code user} (or in the guild). */
    ObjectNode press(long id, long user, String customId, Stored message, boolean inGuild) {
        ObjectNode d = base(id, 3, user, inGuild);
        d.putObject("data").put("custom_id", customId).put("component_type", 2);
        ObjectNode m = ((ObjectNode) message.body().deepCopy()).put("id", Long.toUnsignedString(message.id()))
                .put("channel_id", Long.toUnsignedString(message.channel()));
        complete(m);
        d.set("message", m);
        d.put("channel_id", Long.toUnsignedString(message.channel()));
        ((ObjectNode) d.get("channel")).put("id", Long.toUnsignedString(message.channel()));
        return d;
    }

    /** A modal submission: {@code values} are input id, value (a String, or a List of chosen option values). */
    ObjectNode submit(long id, long user, String modalId, Object... values) {
        ObjectNode d = base(id, 5, user, true);
        ObjectNode data = d.putObject("data").put("custom_id", modalId);
        var components = data.putArray("components");
        for (int i = 0; i < values.length; i += 2) {
            ObjectNode label = components.addObject().put("type", 18).put("id", i + 1);
            ObjectNode c = label.putObject("component").put("custom_id", (String) values[i]).put("id", i + 100);
            if (values[i + 1] instanceof List<?> chosen) {
                c.put("type", 3);
                var arr = c.putArray("values");
                chosen.forEach(v -> arr.add(String.valueOf(v)));
            } else {
                c.put("type", 4).put("value", String.valueOf(values[i + 1]));
            }
        }
        return d;
    }

    private ObjectNode base(long id, int type, long user, boolean inGuild) {
        ObjectNode d = JSON.createObjectNode().put("id", Long.toUnsignedString(id)).put("token", "token-" + id)
                .put("type", type).put("version", 1).put("application_id", Long.toUnsignedString(APP)).put("locale", "en-US");
        d.putObject("authorizing_integration_owners").put("0", Long.toUnsignedString(GUILD));
        ObjectNode u = user(user);
        if (inGuild) {
            long channel = 555000000000000001L;
            d.put("guild_id", Long.toUnsignedString(GUILD)).put("channel_id", Long.toUnsignedString(channel))
                    .put("context", 0).put("app_permissions", "2147483648").put("guild_locale", "en-US");
            d.putObject("guild").put("id", Long.toUnsignedString(GUILD)).put("locale", "en-US").putArray("features");
            d.putObject("channel").put("id", Long.toUnsignedString(channel)).put("type", 0).put("name", "gpus")
                    .put("guild_id", Long.toUnsignedString(GUILD)).put("position", 0).put("permissions", "2147483648")
                    .putArray("permission_overwrites");
            ObjectNode member = d.putObject("member");
            member.set("user", u);
            member.putArray("roles");
            member.put("joined_at", "2026-01-01T00:00:00.000000+00:00").put("permissions", "2147483648")
                    .put("deaf", false).put("mute", false).put("flags", 0);
        } else {
            long channel = dmChannel(user);
            d.put("channel_id", Long.toUnsignedString(channel)).put("context", 1);
            d.set("user", u);
            ObjectNode ch = d.putObject("channel").put("id", Long.toUnsignedString(channel)).put("type", 1);
            ch.putArray("recipients").add(u.deepCopy());
        }
        return d;
    }

    /** A different application, or another guild: an interaction the bot must not act on. */
    static ObjectNode foreign(ObjectNode interaction, boolean otherApplication) {
        ObjectNode d = interaction.deepCopy();
        if (otherApplication) {
            d.put("application_id", "700000000000000999");
        } else {
            String other = "999999999999999999";
            d.put("guild_id", other);
            ((ObjectNode) d.get("guild")).put("id", other);
            ((ObjectNode) d.get("channel")).put("guild_id", other);
            ((ObjectNode) d.get("authorizing_integration_owners")).put("0", other);
        }
        return d;
    }

    private static ObjectNode user(long id) {
        return JSON.createObjectNode().put("id", Long.toUnsignedString(id)).put("username", "user" + (id % 1000))
                .put("discriminator", "0").putNull("avatar").put("global_name", "User " + (id % 1000));
    }

    // ---- the REST side ------------------------------------------------------------------------------------------

    /** From now on every request whose body contains {@code text} waits (as a slow Discord would) until {@link #release}. */
    void hold(String text) {
        holdText = text;
    }

    /** Requests waiting in {@link #hold}. */
    int held() {
        return held.get();
    }

    void release() {
        release.countDown();
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String method = x.getRequestMethod();
        byte[] raw = x.getRequestBody().readAllBytes();
        JsonNode body = raw.length == 0 ? JSON.createObjectNode() : parse(raw, x.getRequestHeaders().getFirst("Content-Type"));
        calls.add(new Call(method, path, body));
        uploads.addAll(files(path, raw, x.getRequestHeaders().getFirst("Content-Type")));
        String hold = holdText;
        if (hold != null && body.toString().contains(hold)) {
            held.incrementAndGet();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!("Bot " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization")) && !path.contains("/interactions/")
                && !path.contains("/webhooks/")) {
            send(x, 401, "{\"message\":\"401: Unauthorized\",\"code\":0}");
            return;
        }
        Matcher m;
        if (path.equals("/api/v10/users/@me")) {
            send(x, 200, user(APP).put("bot", true).put("verified", true).put("mfa_enabled", false).put("flags", 0).toString());
        } else if ((m = COMMANDS.matcher(path)).matches()) {
            var out = JSON.createArrayNode();
            for (JsonNode c : body) {
                out.add(((ObjectNode) c.deepCopy()).put("id", Long.toUnsignedString(nextId())).put("application_id", Long.toUnsignedString(APP))
                        .put("version", "1").put("default_member_permissions", (String) null));
            }
            send(x, 200, out.toString());
        } else if (DM_OPEN.matcher(path).matches()) {
            long user = Long.parseUnsignedLong(body.path("recipient_id").asText());
            ObjectNode ch = JSON.createObjectNode().put("id", Long.toUnsignedString(dmChannel(user))).put("type", 1);
            ch.putArray("recipients").add(user(user));
            send(x, 200, ch.toString());
        } else if ((m = MESSAGES.matcher(path)).matches()) {
            messages(x, m, method, body);
        } else if (CALLBACK.matcher(path).matches()) {
            send(x, 204, "");
        } else if ((m = WEBHOOK.matcher(path)).matches()) {
            Stored s = new Stored(nextId(), 0, body, 0);
            send(x, 200, message(s).toString());
        } else {
            send(x, 404, "{\"message\":\"404: Not Found\",\"code\":0}");
        }
    }

    /** One at a time: an edit replaces the message it read. */
    private synchronized void messages(HttpExchange x, Matcher m, String method, JsonNode body) throws IOException {
        long channel = Long.parseUnsignedLong(m.group(1));
        if (method.equals("POST")) {
            Stored s = new Stored(nextId(), channel, body, 0);
            messages.add(s);
            send(x, 200, message(s).toString());
        } else {
            long id = Long.parseUnsignedLong(m.group(2));
            Stored old = messages.stream().filter(s -> s.id() == id).findFirst().orElse(null);
            if (old == null) {
                send(x, 404, "{\"message\":\"Unknown Message\",\"code\":10008}");
                return;
            }
            Stored now = new Stored(id, channel, merge(old.body(), body), old.edits() + 1);
            messages.set(messages.indexOf(old), now);
            send(x, 200, message(now).toString());
        }
    }

    private static JsonNode parse(byte[] raw, String contentType) throws IOException {
        if (contentType != null && contentType.startsWith("multipart/")) {
            // The JSON is the payload_json part; a file part after it may hold any bytes, braces too.
            String text = new String(raw, StandardCharsets.UTF_8);
            int named = text.indexOf("name=\"payload_json\"");
            int start = text.indexOf('{', Math.max(0, named));
            int end = named < 0 ? text.lastIndexOf('}') : text.indexOf("\r\n--", start) - 1;
            return start < 0 || end < start ? JSON.createObjectNode() : JSON.readTree(text.substring(start, end + 1).strip());
        }
        return JSON.readTree(raw);
    }

    /** The files of a multipart body: the parts with a filename, their bytes as sent. */
    private static List<Upload> files(String path, byte[] raw, @Nullable String contentType) {
        if (contentType == null || !contentType.startsWith("multipart/") || !contentType.contains("boundary=")) {
            return List.of();
        }
        String boundary = "--" + contentType.substring(contentType.indexOf("boundary=") + 9).replace("\"", "");
        String body = new String(raw, StandardCharsets.ISO_8859_1);
        List<Upload> out = new ArrayList<>();
        for (String part : body.split(Pattern.quote(boundary))) {
            Matcher name = FILENAME.matcher(part);
            int start = part.indexOf("\r\n\r\n");
            if (name.find() && start >= 0) {
                String content = part.substring(start + 4, part.endsWith("\r\n") ? part.length() - 2 : part.length());
                out.add(new Upload(path, name.group(1), content.getBytes(StandardCharsets.ISO_8859_1)));
            }
        }
        return out;
    }

    List<Upload> uploads() {
        return List.copyOf(uploads);
    }

    private static JsonNode merge(JsonNode old, JsonNode patch) {
        ObjectNode out = ((ObjectNode) old).deepCopy();
        patch.properties().forEach(e -> out.set(e.getKey(), e.getValue()));
        return out;
    }

    private ObjectNode message(Stored s) {
        ObjectNode m = ((ObjectNode) s.body().deepCopy()).put("id", Long.toUnsignedString(s.id()))
                .put("channel_id", Long.toUnsignedString(s.channel()));
        complete(m);
        return m;
    }

    /** The fields JDA reads from a message object. */
    private static void complete(ObjectNode m) {
        m.put("type", 0).put("tts", false).put("mention_everyone", false).put("pinned", false)
                .put("timestamp", "2026-12-05T06:00:00.000000+00:00").putNull("edited_timestamp");
        if (!m.has("content")) {
            m.put("content", "");
        }
        if (!m.has("flags")) {
            m.put("flags", 0);
        }
        for (String a : List.of("mentions", "mention_roles", "attachments", "embeds", "components", "sticker_items")) {
            if (!m.has(a) || m.get(a).isNull()) {
                m.putArray(a);
            }
        }
        m.get("embeds").forEach(e -> ((ObjectNode) e).put("type", "rich"));
        // As Discord answers: an attachment gets a size and where it can be fetched.
        m.get("attachments").forEach(a -> ((ObjectNode) a).put("id", "1").put("size", 1)
                .put("url", "https://cdn.discord.invalid/" + a.path("filename").asText()).put("proxy_url", "https://media.discord.invalid/x"));
        m.set("author", user(APP).put("bot", true));
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        if (status == 204) {
            x.sendResponseHeaders(204, -1);
        } else {
            x.sendResponseHeaders(status, bytes.length);
            x.getResponseBody().write(bytes);
        }
        x.close();
    }

    private final class Gateway extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);
        volatile boolean readySent;

        Gateway() {
            super(new InetSocketAddress("127.0.0.1", 0));
            setReuseAddr(true);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            conn.send("{\"op\":10,\"d\":{\"heartbeat_interval\":41250}}");
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            try {
                JsonNode m = JSON.readTree(message);
                switch (m.path("op").asInt()) {
                    case 1 -> conn.send("{\"op\":11}");
                    case 2 -> {
                        ObjectNode ready = JSON.createObjectNode().put("op", 0).put("s", sequence.incrementAndGet()).put("t", "READY");
                        ObjectNode d = ready.putObject("d").put("v", 10).put("session_id", "fake-session")
                                .put("resume_gateway_url", gatewayUrl());
                        d.set("user", user(APP).put("bot", true).put("verified", true).put("mfa_enabled", false));
                        d.putArray("guilds");
                        d.putArray("private_channels");
                        d.putObject("application").put("id", Long.toUnsignedString(APP)).put("flags", 0);
                        conn.send(ready.toString());
                        readySent = true;
                    }
                    default -> {
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
        }

        @Override
        public void onStart() {
            started.countDown();
        }
    }

    @Override
    public void close() throws Exception {
        release();
        gateway.stop(1000);
        rest.stop(0);
        restThreads.shutdownNow();
    }
}
