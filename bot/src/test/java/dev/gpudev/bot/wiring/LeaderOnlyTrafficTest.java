package dev.gpudev.bot.wiring;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.adapters.kubernetes.leader.LeaderLabel;
import dev.gpudev.bot.Bot;
import dev.gpudev.bot.TestBots;
import dev.gpudev.bot.sandbox.SignedSlackClient;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;

/**
 * With leader election every replica is Ready once synced (the Deployment and the PodDisruptionBudget count it), but
 * only the leader's pod carries the label the chart's Service selects, and a follower serves no Slack request.
 */
@EnableKubernetesMockClient(crud = true)
class LeaderOnlyTrafficTest {
    static KubernetesClient client;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final WireMockServer slackApi = new WireMockServer(options().dynamicPort());

    @BeforeEach
    void cluster() {
        MockApiServer.point(client);
        slackApi.start();
        slackApi.stubFor(post("/api/auth.test").willReturn(okJson("""
                {"ok":true,"url":"https://test.slack.com/","team":"test","user":"gpu-dev-bot","team_id":"T1","user_id":"UBOT","bot_id":"BBOT"}""")));
        slackApi.stubFor(post(urlMatching("/response/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    @AfterEach
    void clear() {
        slackApi.stop();
        MockApiServer.forget();
    }

    /**
     * The lease is the production default: a leader that misses its renewal (2/3 of the lease) halts the JVM, here the
     * test JVM, so a short lease and a stall of a second or two (GC, a busy CI machine) ended the whole module's run.
     */
    private Bot replica(String pod, String lease) throws Exception {
        return TestBots.slack(slackApi.baseUrl() + "/api/", new MutableClock(Fixtures.T0), Map.of(
                        "cluster.kind", "kubernetes", "cluster.kubernetes.namespace", "gpu-dev-servers",
                        "leader-election.enabled", "true", "leader-election.lease-name", lease, "leader-election.lease-duration", "PT15S", TestBots.FOLLOWER, "true"),
                Map.of("POD_NAME", pod, "POD_NAMESPACE", "gpu-dev"));
    }

    private static void pod(String name, Map<String, String> labels) {
        client.pods().inNamespace("gpu-dev").resource(new PodBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("bot").withImage("gpu-dev-bot").endContainer().endSpec().build()).create();
    }

    private static Map<String, String> labels(String pod) {
        Pod p = client.pods().inNamespace("gpu-dev").withName(pod).get();
        return p.getMetadata().getLabels();
    }

    private static int ready(Bot bot) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.port() + "/observe/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private HttpResponse<String> command(Bot bot, String text) throws Exception {
        return new SignedSlackClient(bot.slackEndpoint(), TestBots.SECRET, Clock.systemUTC())
                .post(SignedSlackClient.commandBody("/gpu", text, "U0ANA", slackApi.baseUrl() + "/response/U0ANA"));
    }

    @Test
    void aFollowerIsReadyOnceSyncedClearsTheLabelItsPodKeptAndServesNoSlack() throws Exception {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        client.leases().inNamespace("gpu-dev").resource(new LeaseBuilder().withNewMetadata().withName("held").endMetadata()
                .withNewSpec().withHolderIdentity("bot-other").withLeaseDurationSeconds(3600).withAcquireTime(now).withRenewTime(now)
                .withLeaseTransitions(0).endSpec().build()).create();
        // this container restarted after losing the lease: its pod still says it leads
        pod("bot-b", Map.of("app.kubernetes.io/name", "gpu-dev-bot", LeaderLabel.KEY, LeaderLabel.LEADER));

        try (Bot bot = replica("bot-b", "held")) {
            assertThat(ready(bot)).isEqualTo(200);
            assertThat(labels("bot-b")).doesNotContainKey(LeaderLabel.KEY).containsEntry("app.kubernetes.io/name", "gpu-dev-bot");
            assertThat(command(bot, "reserve h100 1 1h").statusCode()).isEqualTo(503);
            assertThat(bot.service().state().live()).isEmpty();
            assertThat(client.leases().inNamespace("gpu-dev").withName("held").get().getSpec().getHolderIdentity()).isEqualTo("bot-other");
        }
    }

    @Test
    void theLeaderLabelsItsPodOnceLeadingAndServesSlack() throws Exception {
        pod("bot-a", Map.of("app.kubernetes.io/name", "gpu-dev-bot"));

        try (Bot bot = replica("bot-a", "free")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> LeaderLabel.LEADER.equals(labels("bot-a").get(LeaderLabel.KEY)));
            assertThat(client.pods().inNamespace("gpu-dev").withName("bot-a").get().getMetadata().getAnnotations())
                    .containsEntry(LeaderLabel.DELETION_COST, LeaderLabel.LEADER_DELETION_COST);
            assertThat(ready(bot)).isEqualTo(200);
            assertThat(command(bot, "help").statusCode()).isEqualTo(200);
        }
    }
}
