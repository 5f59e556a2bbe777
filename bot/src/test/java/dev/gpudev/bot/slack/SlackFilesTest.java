package dev.gpudev.bot.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.bot.conversation.Attachment;
import dev.gpudev.bot.conversation.Message;
import dev.gpudev.scheduler.model.UserId;

/** A message's file through the SDK's filesUploadV2, against WireMock serving the three steps of Slack's files API. */
class SlackFilesTest {
    private static final byte[] BYTES = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 1, 2, 3};
    private final WireMockServer api = new WireMockServer(options().dynamicPort());
    private SlackWebClient client;

    @BeforeEach
    void start() {
        api.start();
        SlackConfig config = new SlackConfig();
        config.setStatsEnabled(false);
        config.setMethodsEndpointUrlPrefix(api.baseUrl() + "/api/");
        client = new SlackWebClient(Slack.getInstance(config), "xoxb-test");
        api.stubFor(post("/api/conversations.open").willReturn(okJson("{\"ok\":true,\"channel\":{\"id\":\"D0ANA\"}}")));
        api.stubFor(post("/api/files.getUploadURLExternal").willReturn(okJson(
                "{\"ok\":true,\"file_id\":\"F123\",\"upload_url\":\"" + api.baseUrl() + "/upload/F123\"}")));
        api.stubFor(post("/upload/F123").willReturn(aResponse().withStatus(200).withBody("OK - 12")));
        api.stubFor(post("/api/files.completeUploadExternal").willReturn(okJson(
                "{\"ok\":true,\"files\":[{\"id\":\"F123\",\"title\":\"Timeline\"}]}")));
    }

    @AfterEach
    void stop() {
        api.stop();
    }

    @Test
    void aFileGoesIntoTheAskersDmInThreeStepsWithItsNameTitleAndBytes() throws Exception {
        Message m = Message.of("Here it is").withAttachment(Attachment.png("timeline h100.png", "Timeline", BYTES));

        SlackFiles.shareWith(client, new UserId("U0ANA"), m);

        var asked = api.findAll(postRequestedFor(urlEqualTo("/api/files.getUploadURLExternal"))).getFirst().getBodyAsString();
        assertThat(decode(asked)).contains("filename=timeline-h100.png").contains("length=12");
        api.verify(postRequestedFor(urlEqualTo("/upload/F123")).withRequestBody(binaryEqualTo(BYTES)));
        String completed = decode(api.findAll(postRequestedFor(urlEqualTo("/api/files.completeUploadExternal"))).getFirst().getBodyAsString());
        assertThat(completed).contains("channel_id=D0ANA").contains("\"id\":\"F123\"").contains("\"title\":\"Timeline\"");
    }

    @Test
    void aMessageWithoutAFileUploadsNothing() throws Exception {
        SlackFiles.shareWith(client, new UserId("U0ANA"), Message.of("just text"));

        assertThat(api.findAll(postRequestedFor(urlEqualTo("/api/files.getUploadURLExternal")))).isEmpty();
        assertThat(api.findAll(postRequestedFor(urlEqualTo("/api/conversations.open")))).isEmpty();
    }

    @Test
    void aRefusedUploadIsAnErrorNotSilence() {
        api.stubFor(post("/api/files.completeUploadExternal").willReturn(okJson("{\"ok\":false,\"error\":\"not_in_channel\"}")));
        Message m = Message.of("x").withAttachment(Attachment.png("t.png", "T", BYTES));

        assertThatThrownBy(() -> SlackFiles.share(client, "C0QUEUE", m)).hasMessageContaining("not_in_channel").hasMessageContaining("t.png");
    }

    private static String decode(String form) {
        return URLDecoder.decode(form, StandardCharsets.UTF_8);
    }
}
