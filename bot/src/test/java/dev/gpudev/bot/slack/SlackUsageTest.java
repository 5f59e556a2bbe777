package dev.gpudev.bot.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.gpudev.bot.pictures.Timeline;
import dev.gpudev.bot.pictures.TimelinePicture;
import dev.gpudev.scheduler.model.ReservationState;

/**
 * {@code /gpu timeline} and {@code /gpu usage} through the signed route, with WireMock serving Slack's files API: the
 * picture goes to the asker's DM with their own bars highlighted, the report to the asker, the CSV only to admins,
 * and the weekly summary to the queue channel.
 */
class SlackUsageTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Pixels of a colour's swatch in the legend. */
    private static final long LEGEND = 14 * 10;
    private static final int MINE = TimelinePicture.COLOURS.get(Timeline.Kind.MINE).getRGB() & 0xFFFFFF;
    private static final int OTHERS = TimelinePicture.COLOURS.get(Timeline.Kind.OTHERS).getRGB() & 0xFFFFFF;
    private static final int BOOKED = TimelinePicture.COLOURS.get(Timeline.Kind.BOOKED).getRGB() & 0xFFFFFF;
    private static final int QUEUED = TimelinePicture.COLOURS.get(Timeline.Kind.MINE_QUEUED).getRGB() & 0xFFFFFF;

    private static SlackHarness harness(Map<String, String> config) throws Exception {
        SlackHarness h = new SlackHarness(config);
        h.slackApi.stubFor(post("/api/files.getUploadURLExternal").willReturn(okJson(
                "{\"ok\":true,\"file_id\":\"F123\",\"upload_url\":\"" + h.slackApi.baseUrl() + "/upload/F123\"}")));
        h.slackApi.stubFor(post("/upload/F123").willReturn(aResponse().withStatus(200).withBody("OK")));
        h.slackApi.stubFor(post("/api/files.completeUploadExternal").willReturn(okJson("{\"ok\":true,\"files\":[{\"id\":\"F123\"}]}")));
        return h;
    }

    @Test
    void theTimelineGoesToTheAskersDmWithTheirOwnBarsHighlighted() throws Exception {
        try (SlackHarness h = harness(Map.of())) {
            h.command("reserve h100 4 2h", "U0ANA");
            await().atMost(WAIT).until(() -> !h.bot.service().state().live().isEmpty() && h.only().state() == ReservationState.ACTIVE);

            h.command("timeline h100", "U0ANA");
            await().atMost(WAIT).until(() -> h.sent("files.completeUploadExternal").size() == 1);
            assertThat(h.sent("conversations.open")).last().satisfies(b -> assertThat(b).contains("users=U0ANA"));
            assertThat(h.sent("files.completeUploadExternal").getFirst()).contains("channel_id=D0ANA").contains("GPU timeline, h100");
            assertThat(h.responses("U0ANA")).anyMatch(b -> b.contains("The nodes of h100"));
            BufferedImage own = uploaded(h, 0);
            assertThat(own.getWidth()).isEqualTo(TimelinePicture.WIDTH);
            // two 8-GPU h100 nodes and no queue
            assertThat(own.getHeight()).isEqualTo(44 + 2 * (8 * 7 + 10) + 56);
            assertThat(count(own, MINE)).isGreaterThan(LEGEND);
            assertThat(count(own, OTHERS)).isEqualTo(LEGEND);

            h.command("timeline", "U0BO");
            await().atMost(WAIT).until(() -> h.sent("files.completeUploadExternal").size() == 2);
            assertThat(h.sent("conversations.open")).last().satisfies(b -> assertThat(b).contains("users=U0BO"));
            BufferedImage theirs = uploaded(h, 1);
            assertThat(count(theirs, MINE)).isEqualTo(LEGEND);
            assertThat(count(theirs, OTHERS)).isEqualTo(count(own, MINE));
        }
    }

    @Test
    void aBookingIsDrawnOnItsNodeFromItsStartNotAsAQueuedRow() throws Exception {
        try (SlackHarness h = harness(Map.of())) {
            h.command("reserve h100 8 2h --at \"in 3h\"", "U0ANA");
            await().atMost(WAIT).until(() -> !h.bot.service().state().live().isEmpty() && h.only().booking() != null
                    && !h.only().booking().nodes().isEmpty());

            h.command("timeline h100", "U0ANA");
            await().atMost(WAIT).until(() -> h.sent("files.completeUploadExternal").size() == 1);
            BufferedImage picture = uploaded(h, 0);
            assertThat(picture.getHeight()).as("two 8-GPU nodes and no queue row").isEqualTo(44 + 2 * (8 * 7 + 10) + 56);
            assertThat(count(picture, QUEUED)).as("not drawn as the asker's queued request").isEqualTo(LEGEND);
            // 2h of an 18h window over the chart's width, on 8 lanes of 7 px (minus the gap line)
            assertThat(count(picture, BOOKED)).isGreaterThan(LEGEND + 8 * 7 * 80);
        }
    }

    @Test
    void aPersonGetsTheirUsageAndIsRefusedSomeoneElsesAndTheCsv() throws Exception {
        try (SlackHarness h = harness(Map.of("slack.admins", "U0ADMIN"))) {
            h.command("reserve h100 4 2h", "U0ANA");
            await().atMost(WAIT).until(() -> !h.bot.service().state().live().isEmpty() && h.only().state() == ReservationState.ACTIVE);
            h.clock.advance(Duration.ofHours(1));

            h.command("usage week <@U0BO|bo>", "U0ANA");
            assertThat(h.command("usage week csv", "U0ANA").body()).contains("CSV exports are for admins");
            h.command("usage", "U0ANA");
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.responses("U0ANA")).anyMatch(b -> b.contains("Only admins may see someone else"))
                    .anyMatch(b -> b.contains("*4h* GPU-hours reserved") && b.contains("busy share unknown")));
            await().atMost(WAIT).until(() -> h.sent("files.completeUploadExternal").size() == 1);
            assertThat(h.sent("files.getUploadURLExternal").getFirst()).contains("filename=usage-week.png");
            assertThat(h.sent("files.completeUploadExternal")).singleElement().satisfies(b -> assertThat(b).contains("channel_id=D0ANA"));
        }
    }

    @Test
    void anAdminExportsTheWeekAsCsvWhoseRowsAddUpToTheTotal() throws Exception {
        try (SlackHarness h = harness(Map.of("slack.admins", "U0ADMIN"))) {
            h.command("reserve h100 4 2h", "U0ANA");
            h.command("reserve h100 2 2h", "U0BO");
            await().atMost(WAIT).until(() -> h.bot.service().state().live().size() == 2
                    && h.bot.service().state().live().values().stream().allMatch(r -> r.state() == ReservationState.ACTIVE));
            h.clock.advance(Duration.ofMinutes(90));

            h.command("usage week csv", "U0ADMIN");
            await().atMost(WAIT).until(() -> h.sent("files.completeUploadExternal").size() == 1);
            assertThat(h.sent("files.getUploadURLExternal").getFirst()).contains("filename=usage-week-2026-11-").contains(".csv");
            List<String> lines = new String(h.slackApi.findAll(postRequestedFor(urlEqualTo("/upload/F123"))).getFirst().getBody(),
                    StandardCharsets.UTF_8).lines().toList();
            assertThat(lines.getFirst()).startsWith("section,key,reservations,reserved_gpu_minutes");
            assertThat(lines).contains("person,U0ANA,1,360,0,0,,0,1,0,0", "person,U0BO,1,180,0,0,,0,1,0,0",
                    "type,h100,2,540,0,0,,0,2,0,0", "total,total,2,540,0,0,,0,2,0,0",
                    "everyone,everyone,2,540,0,0,,0,2,0,0");
        }
    }

    @Test
    void theWeeklySummaryIsPostedToTheQueueChannelWithItsChart() throws Exception {
        // T0 is a Monday 09:00: the slot is 10:00, an hour after a reservation started
        try (SlackHarness h = harness(Map.of("slack.queue-channel", "C0QUEUE", "usage.weekly.day", "monday", "usage.weekly.hour", "10",
                "usage.weekly.check-every", "PT0.05S"))) {
            h.command("reserve h100 8 2h", "U0ANA");
            await().atMost(WAIT).until(() -> !h.bot.service().state().live().isEmpty() && h.only().state() == ReservationState.ACTIVE);
            h.clock.advance(Duration.ofHours(1));

            await().atMost(WAIT).untilAsserted(() -> assertThat(h.sent("chat.postMessage"))
                    .anyMatch(b -> b.contains("channel=C0QUEUE") && b.contains("GPU usage this week") && b.contains("8h") && !b.contains("U0ANA")));
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.sent("files.completeUploadExternal"))
                    .singleElement().satisfies(b -> assertThat(b).contains("channel_id=C0QUEUE")));
            assertThat(h.sent("files.getUploadURLExternal").getFirst()).contains("filename=usage-weekly.png");
        }
    }

    private static BufferedImage uploaded(SlackHarness h, int n) throws Exception {
        byte[] png = h.slackApi.findAll(postRequestedFor(urlEqualTo("/upload/F123"))).get(n).getBody();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).isNotNull();
        return image;
    }

    private static long count(BufferedImage image, int rgb) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }
}
