package dev.gpudev.bot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.request.files.FilesCompleteUploadExternalRequest.FileDetails;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gpudev.bot.Bot;
import dev.gpudev.bot.TestBots;
import dev.gpudev.bot.conversation.Attachment;
import dev.gpudev.bot.conversation.Message;
import dev.gpudev.bot.slack.SlackFiles;
import dev.gpudev.bot.slack.SlackWebClient;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;

/** The sandbox's Slack takes the files API as Slack does, saves the file under sandbox.files-dir and prints where. */
class SandboxFilesTest {
    @TempDir
    Path dir;

    @Test
    void anUploadedFileIsSavedUnderTheFilesDirAndItsPathPrinted() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        byte[] bytes = "week,user,gpu-hours\n".repeat(50).getBytes(StandardCharsets.UTF_8);
        try (Bot bot = Bot.start(TestBots.config(Map.of("sandbox.files-dir", dir.toString())), Map.of(), new MutableClock(Fixtures.T0),
                new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            SlackWebClient slack = client(bot);
            SlackFiles.share(slack, "DU0SANDBOX", Message.of("x").withAttachment(Attachment.csv("usage week.csv", "Usage, this week", new String(bytes, StandardCharsets.UTF_8))));
            SlackFiles.share(slack, "DU0SANDBOX", Message.of("x").withAttachment(Attachment.csv("usage week.csv", "Again", "a\n")));
        }
        Path saved = dir.resolve("usage-week.csv");
        assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
        assertThat(Files.readString(dir.resolve("usage-week-2.csv"))).isEqualTo("a\n");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("── file saved: " + saved.toAbsolutePath() + "\n  Usage, this week, in the DM to U0SANDBOX\n");
    }

    @Test
    void aCompletionWithoutItsBytesSavesNothingAndIsRefused() throws Exception {
        try (Bot bot = Bot.start(TestBots.config(Map.of("sandbox.files-dir", dir.toString())), Map.of(), new MutableClock(Fixtures.T0),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            var done = client(bot).filesCompleteUploadExternal(r -> r.files(List.of(
                    FileDetails.builder().id("F00000042").title("x").build()))
                    .channelId("DU0SANDBOX"));
            assertThat(done.isOk()).isFalse();
            assertThat(done.getError()).isEqualTo("file_not_uploaded");
        }
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    private static SlackWebClient client(Bot bot) {
        SlackConfig config = new SlackConfig();
        config.setStatsEnabled(false);
        config.setMethodsEndpointUrlPrefix(bot.slackEndpoint().resolve(SandboxSlack.PATH + "/api/").toString());
        return new SlackWebClient(Slack.getInstance(config), "xoxb-sandbox");
    }
}
