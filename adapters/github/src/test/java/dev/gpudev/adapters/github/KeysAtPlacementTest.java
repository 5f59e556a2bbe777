package dev.gpudev.adapters.github;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gpudev.adapters.github.policy.AccessPolicy;
import dev.gpudev.adapters.github.testing.Github;
import dev.gpudev.adapters.github.testing.ManualPoller;
import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.NodeInfo;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.model.UserLink;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.service.ReservationService;
import dev.gpudev.scheduler.testing.FakeCluster;
import dev.gpudev.scheduler.testing.MutableClock;
import dev.gpudev.scheduler.testing.RecordingNotifier;

/**
 * The service with the real GitHub identity against WireMock: a request that queued for hours is placed while GitHub
 * answers 502 for the owner's keys, and is provisioned with the keys once GitHub answers again, instead of failing.
 */
class KeysAtPlacementTest {
    @RegisterExtension
    static WireMockExtension gh = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final UserId U1 = new UserId("U0123ANA");
    private static final long ANA_ID = 1001;
    private static final String KEYS = "/users/ana/keys";

    private final MutableClock clock = MutableClock.at("2026-11-29T10:00:00Z");
    private final InMemoryReservationStore store = new InMemoryReservationStore();
    private final FakeCluster cluster = new FakeCluster(nodeUsedByOthers(8));
    private ReservationService service;

    private static ClusterSnapshot nodeUsedByOthers(int gpus) {
        return new ClusterSnapshot(List.of(new NodeInfo(new NodeName("gpu-a"), "h100", 8, gpus, true, null, null)));
    }

    @BeforeEach
    void setUp() {
        GithubSettings settings = GithubSettings.defaults(AccessPolicy.of(List.of("pytorch"), List.of(), List.of(), "all", false))
                .withUrls(URI.create(gh.baseUrl()), URI.create("https://github.example")).withToken("ghp_bot").withOauthClientId("Iv1.client");
        GithubIdentity identity = new GithubIdentity(settings, store, Github.http(), new ManualPoller(clock), clock, Github.ticker(clock));
        store.saveLink(new UserLink(U1, new GithubLogin("ana"), ANA_ID, true, Instant.parse("2026-11-01T00:00:00Z")));
        gh.stubFor(get("/user/" + ANA_ID).willReturn(Github.ok(Github.user("ana", ANA_ID))));
        gh.stubFor(get("/orgs/pytorch/members/ana").willReturn(Github.noContent()));
        GpuCatalog catalog = GpuCatalog.defaults();
        service = new ReservationService(new Engine(catalog, Limits.defaults()), new RequestValidator(catalog, Limits.defaults()),
                store, cluster, identity, new RecordingNotifier(), clock, new Random(5));
        service.start();
    }

    private void keysAnswer(String state, String next, ResponseDefinitionBuilder answer) {
        gh.stubFor(get(urlPathEqualTo(KEYS)).inScenario("keys").whenScenarioStateIs(state).willReturn(answer).willSetStateTo(next));
    }

    @Test
    void aQueuedRequestPlacedWhileGithubAnswers502IsProvisionedOnceItAnswers() {
        keysAnswer(Scenario.STARTED, "placement", Github.ok(Github.keys(Github.ED25519)));
        keysAnswer("placement", "recovered", aResponse().withStatus(502).withBody("Bad Gateway"));
        keysAnswer("recovered", "recovered", Github.ok(Github.keys(Github.ED25519)));
        var outcome = service.reserve(U1, (Command.Reserve) CommandParser.parse("reserve h100 4 2h"), null);
        Reservation r = ((ReserveOutcome.Accepted) outcome).reservation();
        assertThat(r.state()).isEqualTo(ReservationState.QUEUED);

        clock.advance(Duration.ofHours(3));   // the cached keys are long stale: placement asks GitHub again
        cluster.change(nodeUsedByOthers(0));

        assertThat(store.find(r.id()).orElseThrow().state()).isEqualTo(ReservationState.PROVISIONING);
        assertThat(store.find(r.id()).orElseThrow().detail()).contains("GitHub", "retrying");
        assertThat(cluster.provisioned).isEmpty();
        gh.verify(2, getRequestedFor(urlPathEqualTo(KEYS)));

        clock.advance(Duration.ofSeconds(5));
        service.tick();

        assertThat(cluster.provisioned).singleElement().satisfies(spec -> {
            assertThat(spec.reservation().id()).isEqualTo(r.id());
            assertThat(spec.authorizedKeys()).extracting(k -> k.type()).containsExactly("ssh-ed25519");
        });
        cluster.ready(r.id());
        assertThat(store.find(r.id()).orElseThrow().state()).isEqualTo(ReservationState.ACTIVE);
    }
}
