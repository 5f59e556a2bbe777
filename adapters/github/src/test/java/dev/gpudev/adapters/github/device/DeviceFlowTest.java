package dev.gpudev.adapters.github.device;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import dev.gpudev.adapters.github.GithubIdentity;
import dev.gpudev.adapters.github.GithubSettings;
import dev.gpudev.adapters.github.policy.AccessPolicy;
import dev.gpudev.adapters.github.testing.Github;
import dev.gpudev.adapters.github.testing.LogCapture;
import dev.gpudev.adapters.github.testing.ManualPoller;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.model.UserLink;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.testing.MutableClock;

class DeviceFlowTest {
    @RegisterExtension
    static WireMockExtension gh = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final UserId U1 = new UserId("U0123ANA");
    private static final String TOKEN = "gho_16C7e42F292c6912E7710c838347Ae178B4a";
    private static final String CODE = "/login/device/code";
    private static final String POLL = "/login/oauth/access_token";

    private final MutableClock clock = MutableClock.at("2026-11-29T10:00:00Z");
    private final ManualPoller poller = new ManualPoller(clock);
    private final InMemoryReservationStore store = new InMemoryReservationStore();
    private final List<LinkResult> results = new CopyOnWriteArrayList<>();
    private LogCapture log;
    private GithubIdentity identity;

    @BeforeEach
    void setUp() {
        log = LogCapture.open();
        identity = identity("Iv1.client");
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    private GithubIdentity identity(String clientId) {
        GithubSettings s = GithubSettings.defaults(AccessPolicy.anyone()).withUrls(URI.create(gh.baseUrl()), URI.create(gh.baseUrl()))
                .withToken("ghp_bot").withOauthClientId(clientId);
        return new GithubIdentity(s, store, Github.http(), poller, clock, Github.ticker(clock));
    }

    private static String deviceCode(String deviceCode, int expiresIn, int interval) {
        return """
                {"device_code":"%s","user_code":"WDJB-MJHT","verification_uri":"https://github.com/login/device","expires_in":%d,"interval":%d}"""
                .formatted(deviceCode, expiresIn, interval);
    }

    private static String error(String code) {
        return """
                {"error":"%s","error_description":"see docs","error_uri":"https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow"}"""
                .formatted(code);
    }

    private static String slowDown(int interval) {
        return """
                {"error":"slow_down","error_description":"Too many requests have been made in the same timeframe.","error_uri":"https://docs.github.com","interval":%d}"""
                .formatted(interval);
    }

    private static String token() {
        return """
                {"access_token":"%s","token_type":"bearer","scope":""}""".formatted(TOKEN);
    }

    /** The token endpoint gives these answers in turn (GitHub uses 200 for every flow state), then the last one again. */
    private static void pollAnswers(List<Map.Entry<Integer, String>> answers) {
        String state = Scenario.STARTED;
        for (int i = 0; i < answers.size(); i++) {
            String next = i == answers.size() - 1 ? state : "poll-" + (i + 1);
            gh.stubFor(post(POLL).inScenario("poll").whenScenarioStateIs(state).willSetStateTo(next)
                    .willReturn(Github.json(answers.get(i).getKey(), answers.get(i).getValue())));
            state = next;
        }
    }

    private static List<Map.Entry<Integer, String>> ok(String... bodies) {
        return java.util.Arrays.stream(bodies).map(b -> Map.entry(200, b)).toList();
    }

    private DeviceStart start() {
        return identity.startLink(U1, (user, result) -> {
            assertThat(user).isEqualTo(U1);
            results.add(result);
        });
    }

    @Test
    void linksAfterPendingAndSlowDownHonouringTheIntervals() {
        gh.stubFor(post(CODE).willReturn(Github.ok(deviceCode("dc1", 900, 5))));
        pollAnswers(ok(error("authorization_pending"), slowDown(10), error("authorization_pending"), token()));
        gh.stubFor(get("/user").willReturn(Github.ok(Github.user("Ana", 583231))));

        DeviceStart started = start();
        assertThat(started).isEqualTo(new DeviceStart.Started("https://github.com/login/device", "WDJB-MJHT", Instant.parse("2026-11-29T10:15:00Z")));
        assertThat(poller.runAll(10)).isEqualTo(4);

        assertThat(results).containsExactly(new LinkResult.Linked(new GithubLogin("Ana")));
        assertThat(poller.delays).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10));
        assertThat(store.link(U1)).contains(new UserLink(U1, new GithubLogin("Ana"), 583231, true, Instant.parse("2026-11-29T10:00:30Z")));
        gh.verify(postRequestedFor(urlEqualTo(CODE)).withRequestBody(equalTo("client_id=Iv1.client")).withHeader("Accept", equalTo("application/json")));
        gh.verify(4, postRequestedFor(urlEqualTo(POLL)).withRequestBody(containing("client_id=Iv1.client"))
                .withRequestBody(containing("device_code=dc1"))
                .withRequestBody(containing("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code")));
        gh.verify(getRequestedFor(urlEqualTo("/user")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        assertThat(log.lines()).isNotEmpty().noneMatch(l -> l.contains(TOKEN));
    }

    @Test
    void slowDownWithoutAnIntervalAddsFiveSeconds() {
        gh.stubFor(post(CODE).willReturn(Github.ok(deviceCode("dc1", 900, 5))));
        pollAnswers(ok(error("slow_down"), error("access_denied")));

        start();
        poller.runAll(10);

        assertThat(poller.delays).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    static List<Arguments> endings() {
        return List.of(
                Arguments.of(named("user pressed cancel: access_denied", ok(error("authorization_pending"), error("access_denied"))),
                        new LinkResult.Denied("You cancelled the authorization on GitHub; nothing was linked.")),
                Arguments.of(named("expired_token", ok(error("authorization_pending"), error("expired_token"))),
                        new LinkResult.Expired("The code expired before it was entered: run `/gpu link` again.")),
                Arguments.of(named("incorrect_device_code", ok(error("incorrect_device_code"))),
                        new LinkResult.Failed("GitHub refused the link (incorrect_device_code): tell an admin.")),
                Arguments.of(named("device_flow_disabled", ok(error("device_flow_disabled"))),
                        new LinkResult.Failed("GitHub refused the link (device_flow_disabled): tell an admin.")),
                Arguments.of(named("unreachable three times", List.of(Map.entry(502, "{}"), Map.entry(503, "{}"), Map.entry(500, "{}"))),
                        new LinkResult.Failed("GitHub is unreachable — run `/gpu link` again in a minute.")),
                Arguments.of(named("two outages then cancel", List.of(Map.entry(502, "{}"), Map.entry(503, "{}"), Map.entry(200, error("access_denied")))),
                        new LinkResult.Denied("You cancelled the authorization on GitHub; nothing was linked.")));
    }

    @ParameterizedTest
    @MethodSource("endings")
    void endsAsGithubSays(List<Map.Entry<Integer, String>> answers, LinkResult expected) {
        gh.stubFor(post(CODE).willReturn(Github.ok(deviceCode("dc1", 900, 5))));
        pollAnswers(answers);

        start();
        poller.runAll(10);

        assertThat(results).containsExactly(expected);
        assertThat(store.link(U1)).isEmpty();
        assertThat(poller.scheduled()).isZero();
    }

    @Test
    void stopsPollingWhenTheCodeExpiresLocally() {
        gh.stubFor(post(CODE).willReturn(Github.ok(deviceCode("dc1", 10, 5))));
        pollAnswers(ok(error("authorization_pending")));

        start();
        poller.runAll(10);

        assertThat(results).containsExactly(new LinkResult.Expired("The code expired before it was entered: run `/gpu link` again."));
        gh.verify(1, postRequestedFor(urlEqualTo(POLL)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"500", "200 without an id"})
    void aFailedUserLookupStoresNothing(String answer) {
        gh.stubFor(post(CODE).willReturn(Github.ok(deviceCode("dc1", 900, 5))));
        pollAnswers(ok(token()));
        gh.stubFor(get("/user").willReturn(answer.equals("500") ? Github.json(500, "{}") : Github.ok("{\"login\":\"ana\",\"type\":\"User\"}")));

        start();
        poller.runAll(10);

        assertThat(results).singleElement().isInstanceOf(LinkResult.Failed.class);
        assertThat(store.link(U1)).isEmpty();
        assertThat(log.lines()).noneMatch(l -> l.contains(TOKEN));
    }

    @Test
    void withoutAClientIdOnlyAdminsLink() {
        assertThat(identity("").startLink(U1, (u, r) -> results.add(r))).isInstanceOfSatisfying(DeviceStart.NotConfigured.class,
                n -> assertThat(n.reason()).contains("/gpu admin link"));
        gh.verify(0, postRequestedFor(urlEqualTo(CODE)));
    }

    @Test
    void startFailsWhenGithubIsDownOrRefuses() {
        gh.stubFor(post(CODE).willReturn(Github.json(503, "{}")));
        assertThat(start()).isEqualTo(new DeviceStart.Failed("GitHub is unreachable — try again in a minute"));

        gh.stubFor(post(CODE).willReturn(Github.json(400, error("device_flow_disabled"))));
        assertThat(start()).isEqualTo(new DeviceStart.Failed("GitHub refused to start linking (device_flow_disabled): tell an admin"));
        assertThat(poller.scheduled()).isZero();
    }

    @Test
    void aNewLinkReplacesTheOldFlow() {
        gh.stubFor(post(CODE).inScenario("codes").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("second")
                .willReturn(Github.ok(deviceCode("dc-old", 900, 5))));
        gh.stubFor(post(CODE).inScenario("codes").whenScenarioStateIs("second").willReturn(Github.ok(deviceCode("dc-new", 900, 5))));
        gh.stubFor(post(POLL).willReturn(Github.ok(token())));
        gh.stubFor(get("/user").willReturn(Github.ok("{\"login\":\"ana\",\"id\":1}")));

        start();
        start();
        poller.runAll(10);

        assertThat(results).containsExactly(new LinkResult.Linked(new GithubLogin("ana")));
        gh.verify(0, postRequestedFor(urlEqualTo(POLL)).withRequestBody(containing("device_code=dc-old")));
    }
}
