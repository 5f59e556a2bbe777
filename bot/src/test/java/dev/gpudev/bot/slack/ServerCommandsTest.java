package dev.gpudev.bot.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.gpudev.bot.slack.SlackHarness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;

/** {@code /gpu logs}, list filters and pages, names, {@code cancel --all}, the extend picker and {@code ssh-config}, through the signed route. */
class ServerCommandsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static void ready(SlackHarness h, int count) {
        await().atMost(WAIT).until(() -> h.bot.service().state().live().values().stream()
                .filter(r -> r.state() == ReservationState.ACTIVE).count() == count);
    }

    private static String lastResponse(SlackHarness h, String user, int before) {
        await().atMost(WAIT).until(() -> h.responses(user).size() > before);
        return h.responses(user).getLast();
    }

    private static Reservation named(SlackHarness h, String name) {
        return h.bot.service().state().live().values().stream().filter(r -> name.equals(r.options().name())).findFirst().orElseThrow();
    }

    @Test
    void logsShowTheStartUpEventsAndTheLogToTheOwnerOnlyByIdOrName() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            h.command("reserve h100 4 2h --name llama", "U0ANA");
            ready(h, 1);
            String id = named(h, "llama").id().value();

            h.command("logs llama 5", "U0ANA");
            String shown = lastResponse(h, "U0ANA", 0);
            assertThat(shown).contains("Start-up events").contains("Scheduled").contains("Server listening on 0.0.0.0 port 22.")
                    .contains(id);

            h.command("logs " + id, "U0BO");
            assertThat(lastResponse(h, "U0BO", 0)).doesNotContain("Server listening").contains("no reservation");
            assertThat(text(h.command("logs " + id + " lots", "U0ANA").body())).contains("is not a number of lines");
        }
    }

    @Test
    void theReadyMessageSaysWhichGpusDriverCudaAndImageTheServerRuns() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            h.command("reserve h100 4 2h", "U0ANA");
            ready(h, 1);
            await().atMost(WAIT).untilAsserted(() -> assertThat(String.join("\n", h.sent("chat.update")) + String.join("\n", h.sent("chat.postMessage")))
                    .contains("4 × NVIDIA H100 80GB HBM3 · driver 570.124.06 · CUDA 12.8 · image nvcr.io/nvidia/pytorch:25.01-py3"));
            assertThat(h.only().access().about()).startsWith("4 × NVIDIA H100");
        }
    }

    @Test
    void aNameIsUniqueAmongTheOwnersLiveOnesAndWorksWhereAnIdDoes() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            h.command("reserve h100 1 1h --name exp", "U0ANA");
            ready(h, 1);
            h.command("reserve h100 1 1h --name exp", "U0ANA");
            assertThat(lastResponse(h, "U0ANA", 0)).contains("already have a live reservation named `exp`");
            assertThat(h.bot.service().state().live()).hasSize(1);

            h.command("reserve h100 1 1h --name exp", "U0BO");
            ready(h, 2);
            String bos = h.bot.service().state().live().values().stream().filter(r -> r.owner().value().equals("U0BO"))
                    .findFirst().orElseThrow().id().value();
            assertThat(text(h.command("show exp", "U0BO").body())).contains(bos).contains("<@U0BO>");
            assertThat(text(h.command("list", "U0ANA").body())).contains("(exp)");
        }
    }

    @Test
    void listFiltersByStateAndPagesThroughTheHistory() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of("limits.max-gpus-per-user", "64"))) {
            for (int i = 0; i < 12; i++) {
                h.command("reserve b200 1 1h --name n" + i, "U0ANA");
                int n = i + 1;
                await().atMost(WAIT).until(() -> h.bot.service().state().live().size() == n);
            }
            ready(h, 8);
            var live = h.bot.service().state().live().values().stream().filter(r -> r.state() == ReservationState.ACTIVE).toList();
            h.command("cancel " + live.getFirst().id().value(), "U0ANA");
            h.press("cancel_confirmed", live.getFirst().id().value(), "U0ANA");
            await().atMost(WAIT).until(() -> h.bot.service().state().live().size() == 11);

            String ended = text(h.command("list --state ended", "U0ANA").body());
            assertThat(ended).contains(live.getFirst().id().value()).doesNotContain("active on").doesNotContain("queued since");
            String queued = text(h.command("list --state queued", "U0ANA").body());
            assertThat(queued).contains("queued since").doesNotContain("active on");

            var first = h.command("list", "U0ANA").body();
            assertThat(text(first)).contains("Page 1");
            assertThat(first).contains("list_page").contains("\"value\":\"2||\"");
            String second = text(h.command("list --page 2", "U0ANA").body());
            assertThat(second).contains("Page 2");
            for (int i = 0; i < 12; i++) {
                assertThat(text(first).contains("(n" + i + ")")).as("n%d on exactly one page", i).isNotEqualTo(second.contains("(n" + i + ")"));
            }
            assertThat(second.lines().filter(l -> l.startsWith("•"))).hasSize(2);
            assertThat(text(h.command("list @U0ANA", "U0BO").body())).contains("Only admins");
            assertThat(text(h.command("list --state sleeping", "U0ANA").body())).contains("`sleeping` is not a state");
        }
    }

    @Test
    void cancelAllAsksFirstThenEndsEveryLiveOneOfTheAskerOnly() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            h.command("reserve h100 1 1h", "U0ANA");
            // a request time with a fraction of a second, as real clocks give: the button's whole seconds must still cover it
            h.clock.advance(Duration.ofMillis(1500));
            h.command("reserve b200 1 1h", "U0ANA");
            h.command("reserve h100 1 1h", "U0BO");
            await().atMost(WAIT).until(() -> h.bot.service().state().live().size() == 3);

            var ack = h.command("cancel --all", "U0ANA");
            assertThat(ack.body()).contains("cancel_all").contains("Cancel all 2").contains("confirm");
            assertThat(h.bot.service().state().live()).hasSize(3);
            String upTo = ack.body().replaceAll("(?s).*\"action_id\":\"cancel_all\".*?\"value\":\"(\\d+)\".*", "$1");
            h.clock.advance(Duration.ofMinutes(1));
            h.command("reserve b200 1 1h --name later", "U0ANA");
            await().atMost(WAIT).until(() -> h.bot.service().state().live().size() == 4);

            h.press("cancel_all", upTo, "U0ANA");
            await().atMost(WAIT).until(() -> h.bot.service().state().live().size() == 2);
            assertThat(h.bot.service().state().live().values()).extracting(r -> r.owner().value() + " " + r.options().name())
                    .containsExactlyInAnyOrder("U0BO null", "U0ANA later");
            assertThat(lastResponse(h, "U0ANA", 0)).contains("Cancelled");
        }
    }

    @Test
    void extendWithSeveralOffersAPickerAndItsButtonExtendsTheOneChosenOnce() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            h.command("reserve h100 1 1h --name a", "U0ANA");
            h.command("reserve b200 1 1h --name b", "U0ANA");
            ready(h, 2);
            var ack = h.command("extend 2h", "U0ANA");
            assertThat(text(ack.body())).contains("Which one should I extend by 2h?");
            Reservation b = named(h, "b");
            assertThat(ack.body()).contains("extend_pick").contains(b.id().value() + "|0|120");

            h.press("extend_pick", b.id().value() + "|0|120", "U0ANA");
            await().atMost(WAIT).until(() -> named(h, "b").endsAt().equals(b.endsAt().plus(Duration.ofHours(2))));
            h.press("extend_pick", b.id().value() + "|0|120", "U0ANA");
            await().atMost(WAIT).until(() -> h.responses("U0ANA").size() >= 2);
            assertThat(named(h, "b").endsAt()).isEqualTo(b.endsAt().plus(Duration.ofHours(2)));
            assertThat(named(h, "a").extendedBy()).isZero();
        }
    }

    @Test
    void sshConfigIsAFileInTheDmWithEveryReadyServerAndTheRanksOfAMultiNodeOne() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of("limits.max-gpus-per-user", "32"))) {
            h.slackApi.stubFor(post("/api/files.getUploadURLExternal").willReturn(okJson(
                    "{\"ok\":true,\"file_id\":\"F1\",\"upload_url\":\"" + h.slackApi.baseUrl() + "/upload/F1\"}")));
            h.slackApi.stubFor(post("/upload/F1").willReturn(aResponse().withStatus(200).withBody("OK")));
            h.slackApi.stubFor(post("/api/files.completeUploadExternal").willReturn(okJson("{\"ok\":true,\"files\":[{\"id\":\"F1\"}]}")));
            h.command("reserve h100 2x8 1h --name big", "U0ANA");
            h.command("reserve b200 1 1h", "U0ANA");
            ready(h, 2);
            String big = named(h, "big").id().value();

            h.command("ssh-config", "U0ANA");

            await().atMost(WAIT).until(() -> !h.slackApi.findAll(postRequestedFor(urlEqualTo("/upload/F1"))).isEmpty());
            String file = new String(h.slackApi.findAll(postRequestedFor(urlEqualTo("/upload/F1"))).getFirst().getBody(), StandardCharsets.UTF_8);
            assertThat(file).contains("Host " + big + " big\n  HostName h100-sim-1.sandbox.gpu-dev.local\n  Port 22\n  User dev\n")
                    .contains("Host " + big + "-rank1\n  HostName gpu-dev-" + big + "-1.gpu-dev-" + big + "-nodes\n")
                    .contains("ProxyJump " + big + "\n")
                    .contains("HostName b200-sim-1.sandbox.gpu-dev.local");
            assertThat(h.sent("files.getUploadURLExternal").getFirst()).contains("filename=gpu-dev-ssh-config");
            assertThat(lastResponse(h, "U0ANA", 0)).contains("1 further rank");
            assertThat(List.of(h.sent("files.completeUploadExternal").getFirst())).anyMatch(b -> b.contains("channel_id=D0ANA"));
        }
    }
}
