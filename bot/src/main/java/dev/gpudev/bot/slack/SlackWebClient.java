package dev.gpudev.bot.slack;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.google.gson.Gson;
import com.slack.api.Slack;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.impl.MethodsClientImpl;
import com.slack.api.util.http.SlackHttpClient;
import com.slack.api.util.json.GsonFactory;
import okhttp3.FormBody;
import okhttp3.Response;

/**
 * The Slack SDK's Web API client, as {@code Slack.methods(token)} makes it, with one change: responses are parsed by one Gson, built once. The SDK (1.51) builds a
 * new Gson for every response it parses, so every call rebuilt the reflective adapters of its response class (a
 * {@code chat.postMessage} response reaches Message, File, Attachment and the block types): about 0.5 ms of CPU and
 * 450 KB of garbage per call, the larger part of the bot's work per reservation under load. The request, the HTTP
 * client, the listeners and the errors are the SDK's, as in its {@code parseJsonResponseAndRunListeners}; the SDK's
 * per-method statistics, which that method also keeps, are off in the bot ({@code SlackConfig.setStatsEnabled}).
 */
public final class SlackWebClient extends MethodsClientImpl {
    private final SlackHttpClient http;
    private final Gson gson;

    public SlackWebClient(Slack slack, String token) {
        super(slack.getHttpClient(), token);
        this.http = slack.getHttpClient();
        this.gson = GsonFactory.createSnakeCase(http.getConfig());
        setEndpointUrlPrefix(http.getConfig().getMethodsEndpointUrlPrefix());
    }

    @Override
    protected <T extends SlackApiTextResponse> T postFormWithTokenAndParseResponse(FormBody.Builder form, String method, String token,
                                                                                 Class<T> type) throws IOException, SlackApiException {
        Response response = runPostFormWithToken(form, method, token);
        String body = response.body().string();
        if (!response.isSuccessful()) {
            throw new SlackApiException(http.getConfig(), response, body);
        }
        try {
            T parsed = gson.fromJson(body, type);
            Map<String, List<String>> headers = new TreeMap<>();
            response.headers().toMultimap().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
            parsed.setHttpResponseHeaders(headers);
            return parsed;
        } finally {
            http.runHttpResponseListeners(response, body, false);
        }
    }
}
