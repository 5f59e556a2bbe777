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
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** Carries a Helidon request into a Bolt {@link App} and Bolt's response back. Bolt verifies the signature. */
public final class BoltBridge implements Handler {
    private final App app;
    private final SlackRequestParser parser;

    public BoltBridge(App app) {
        this.app = app;
        this.parser = new SlackRequestParser(app.config());
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws Exception {
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
