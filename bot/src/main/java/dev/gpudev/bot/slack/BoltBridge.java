package dev.gpudev.bot.slack;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.slack.api.bolt.App;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.SlackRequestParser;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** Carries a Helidon request into a Bolt {@link App} and Bolt's response back. Bolt verifies the signature. */
public final class BoltBridge implements Handler {
    private static final HeaderName SIGNATURE = HeaderNames.create("X-Slack-Signature");
    private static final HeaderName TIMESTAMP = HeaderNames.create("X-Slack-Request-Timestamp");
    private final App app;
    private final SlackRequestParser parser;

    public BoltBridge(App app) {
        this.app = app;
        this.parser = new SlackRequestParser(app.config());
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws Exception {
        // Bolt checks the signature against the body; without the headers there is nothing to check, so the body is left unread.
        if (!req.headers().contains(SIGNATURE) || !req.headers().contains(TIMESTAMP)) {
            res.status(Status.UNAUTHORIZED_401).send("not signed by Slack");
            return;
        }
        String body = req.content().hasEntity() ? req.content().as(String.class) : "";
        Map<String, List<String>> headers = new HashMap<>();
        req.headers().forEach(h -> headers.put(h.name().toLowerCase(Locale.ROOT), h.allValues()));
        Map<String, List<String>> query = new HashMap<>();
        req.query().names().forEach(n -> query.put(n, req.query().all(n)));
        Request<?> slackRequest;
        try {
            slackRequest = parser.parse(SlackRequestParser.HttpRequest.builder()
                    .requestUri(req.path().path())
                    .queryString(query)
                    .headers(new RequestHeaders(headers))
                    .requestBody(body)
                    .remoteAddress(req.remotePeer().host())
                    .build());
        } catch (RuntimeException e) {
            // Bolt's parser throws on a body Slack never sends (bad %-escapes, malformed JSON, a payload without a user)
            slackRequest = null;
        }
        if (slackRequest == null) {
            res.status(Status.BAD_REQUEST_400).send("not a Slack request");
            return;
        }
        Response r = app.run(slackRequest);
        res.status(Status.create(r.getStatusCode()));
        if (r.getHeaders() != null) {
            r.getHeaders().forEach((name, values) -> res.header(HeaderNames.create(name), values.toArray(String[]::new)));
        }
        if (r.getContentType() != null) {
            res.header(HeaderNames.CONTENT_TYPE, r.getContentType());
        }
        res.send(r.getBody() == null ? "" : r.getBody());
    }
}
