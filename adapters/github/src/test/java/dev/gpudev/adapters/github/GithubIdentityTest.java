package dev.gpudev.adapters.github;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import dev.gpudev.adapters.github.device.LinkResult;
import dev.gpudev.adapters.github.policy.AccessPolicy;
import dev.gpudev.adapters.github.policy.Verdict;
import dev.gpudev.adapters.github.testing.Github;
import dev.gpudev.adapters.github.testing.ManualPoller;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.SshPublicKey;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.model.UserLink;
import dev.gpudev.scheduler.port.AccessDecision;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.port.StoreUnavailableException;
import dev.gpudev.scheduler.testing.MutableClock;

class GithubIdentityTest {
    @RegisterExtension
    static WireMockExtension gh = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final UserId U1 = new UserId("U0123ANA");
    private static final GithubLogin ANA = new GithubLogin("ana");
    private static final long ANA_ID = 1001;
    private static final String MEMBER = "/orgs/pytorch/members/ana";
    private static final String KEYS = "/users/ana/keys";

    private final MutableClock clock = MutableClock.at("2026-11-29T10:00:00Z");
    private final InMemoryReservationStore store = new InMemoryReservationStore();
    private GithubIdentity identity;

    @BeforeEach
    void setUp() {
        identity = identity(settings("Iv1.client"), store);
        gh.stubFor(get("/user/" + ANA_ID).willReturn(Github.ok(Github.user("ana", ANA_ID))));
    }

    private GithubSettings settings(String clientId) {
        return GithubSettings.defaults(AccessPolicy.of(List.of("pytorch"), List.of(), List.of(), "all", false))
                .withUrls(URI.create(gh.baseUrl()), URI.create("https://github.example")).withToken("ghp_bot").withOauthClientId(clientId);
    }

    private GithubIdentity identity(GithubSettings settings, ReservationStore links) {
        return new GithubIdentity(settings, links, Github.http(), new ManualPoller(clock), clock, Github.ticker(clock));
    }

    private void link(UserId user, GithubLogin login, boolean verified) {
        store.saveLink(new UserLink(user, login, ANA_ID, verified, Instant.parse("2026-11-01T00:00:00Z")));
    }

    private void memberWithKeys(String... keys) {
        gh.stubFor(get(MEMBER).willReturn(Github.noContent()));
        gh.stubFor(get(urlPathEqualTo(KEYS)).willReturn(Github.ok(Github.keys(keys))));
    }

    @Test
    void grantsAMemberWithAllTheirKeysAcrossPages() {
        link(U1, ANA, true);
        gh.stubFor(get(MEMBER).willReturn(Github.noContent()));
        gh.stubFor(get("/users/ana/keys?per_page=100").willReturn(Github.ok(Github.keys(Github.ED25519, Github.RSA3072))
                .withHeader("Link", "<" + gh.baseUrl() + "/user/7/keys?per_page=100&page=2>; rel=\"next\", <" + gh.baseUrl() + "/user/7/keys?per_page=100&page=2>; rel=\"last\"")));
        gh.stubFor(get("/user/7/keys?per_page=100&page=2").willReturn(Github.ok(Github.keys(Github.ECDSA384, Github.SK_ED25519))));

        AccessDecision d = identity.authorize(U1);

        assertThat(d).isInstanceOfSatisfying(AccessDecision.Granted.class, g -> {
            assertThat(g.login()).isEqualTo(ANA);
            assertThat(g.keys()).extracting(SshPublicKey::type)
                    .containsExactly("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp384", "sk-ssh-ed25519@openssh.com");
        });
    }

    @Test
    void tellsAnUnlinkedUserHowToLink() {
        assertThat(identity.authorize(U1)).isEqualTo(new AccessDecision.Denied("Link your GitHub account first: run `/gpu link`."));
        assertThat(identity(settings(""), store).authorize(U1))
                .isEqualTo(new AccessDecision.Denied("Ask an admin to link your GitHub account: `/gpu admin link @you <github-login>`."));
        gh.verify(0, getRequestedFor(urlPathEqualTo(MEMBER)));
    }

    @Test
    void anUnverifiedClaimGrantsNothing() {
        link(U1, ANA, false);
        memberWithKeys(Github.ED25519);

        assertThat(identity.authorize(U1)).isInstanceOfSatisfying(AccessDecision.Denied.class,
                d -> assertThat(d.reason()).contains("never verified").contains("/gpu link"));
        gh.verify(0, getRequestedFor(urlPathEqualTo(MEMBER)));
    }

    @Test
    void refusesWithTheRuleThatFailedAndFetchesNoKeys() {
        link(U1, ANA, true);
        gh.stubFor(get(MEMBER).willReturn(Github.notFound()));

        assertThat(identity.authorize(U1)).isEqualTo(new AccessDecision.Denied("Not allowed: ana is not a member of the GitHub org pytorch."));
        gh.verify(0, getRequestedFor(urlPathEqualTo(KEYS)));
    }

    @Test
    void aUserWithoutKeysIsToldWhereToAddOne() {
        link(U1, ANA, true);
        memberWithKeys();

        assertThat(identity.authorize(U1)).isInstanceOfSatisfying(AccessDecision.Denied.class,
                d -> assertThat(d.reason()).contains("has no SSH keys").contains("https://github.example/settings/ssh/new"));
    }

    @Test
    void aCollaboratorGitHubDoesNotKnowIsRefused() {
        gh.stubFor(get("/orgs/pytorch/members/ghost-user").willReturn(Github.noContent()));
        gh.stubFor(get(urlPathEqualTo("/users/ghost-user/keys")).willReturn(Github.notFound()));

        assertThat(identity.authorizeLogin(new GithubLogin("ghost-user"))).isEqualTo(new AccessDecision.Denied("GitHub has no user ghost-user."));
    }

    static List<Arguments> outages() {
        return List.of(
                Arguments.of(named("account 500", "/user/" + ANA_ID), Github.json(500, "{\"message\":\"Server Error\"}")),
                Arguments.of(named("account secondary rate limit", "/user/" + ANA_ID), Github.secondaryLimit(403, 60)),
                Arguments.of(named("account without an id", "/user/" + ANA_ID), Github.ok("{\"login\":\"ana\"}")),
                Arguments.of(named("account with another id", "/user/" + ANA_ID), Github.ok(Github.user("ana", 7))),
                Arguments.of(named("membership 500", MEMBER), Github.json(500, "{\"message\":\"Server Error\"}")),
                Arguments.of(named("membership 503", MEMBER), Github.json(503, "{\"message\":\"Service Unavailable\"}")),
                Arguments.of(named("membership primary rate limit", MEMBER), Github.primaryLimit(Instant.parse("2026-11-29T11:00:00Z"))),
                Arguments.of(named("membership secondary rate limit", MEMBER), Github.secondaryLimit(403, 60)),
                Arguments.of(named("membership bad credentials", MEMBER), Github.json(401, "{\"message\":\"Bad credentials\"}")),
                Arguments.of(named("membership connection reset", MEMBER), aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)),
                Arguments.of(named("keys 502", KEYS), Github.json(502, "{\"message\":\"Server Error\"}")),
                Arguments.of(named("keys secondary limit 429", KEYS), Github.secondaryLimit(429, 30)),
                Arguments.of(named("keys not JSON", KEYS), Github.ok("<html>")));
    }

    @ParameterizedTest
    @MethodSource("outages")
    void failsClosedWhenGithubCannotAnswer(String path, ResponseDefinitionBuilder response) {
        link(U1, ANA, true);
        memberWithKeys(Github.ED25519);
        gh.stubFor(get(urlPathEqualTo(path)).willReturn(response));

        assertThat(identity.authorize(U1)).isEqualTo(new AccessDecision.Unavailable("GitHub is unreachable — try again in a minute"));
    }

    @Test
    void failsClosedWhenTheLinkCannotBeRead() {
        ReservationStore broken = (ReservationStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ReservationStore.class},
                (proxy, method, args) -> {
                    throw new StoreUnavailableException("dynamodb down", new RuntimeException());
                });

        assertThat(identity(settings("Iv1.client"), broken).authorize(U1)).isInstanceOf(AccessDecision.Unavailable.class);
    }

    @Test
    void aFreshAllowedDecisionSurvivesAnOutageUntilItsTtl() {
        link(U1, ANA, true);
        memberWithKeys(Github.ED25519);
        assertThat(identity.authorize(U1)).isInstanceOf(AccessDecision.Granted.class);

        gh.stubFor(get(MEMBER).willReturn(Github.json(503, "{}")));
        gh.stubFor(get(urlPathEqualTo(KEYS)).willReturn(Github.json(503, "{}")));
        clock.advance(Duration.ofMinutes(9).plusSeconds(59));
        assertThat(identity.authorize(U1)).isInstanceOf(AccessDecision.Granted.class);
        gh.verify(1, getRequestedFor(urlPathEqualTo(MEMBER)));

        clock.advance(Duration.ofSeconds(1));
        assertThat(identity.authorize(U1)).isInstanceOf(AccessDecision.Unavailable.class);
    }

    @Test
    void aRefusalIsCachedOnlyForTheShortTtl() {
        link(U1, ANA, true);
        memberWithKeys(Github.ED25519);
        gh.stubFor(get(MEMBER).willReturn(Github.notFound()));
        assertThat(identity.authorize(U1)).isInstanceOf(AccessDecision.Denied.class);

        gh.stubFor(get(MEMBER).willReturn(Github.noContent()));
        clock.advance(Duration.ofSeconds(59));
        assertThat(identity.authorize(U1)).isInstanceOf(AccessDecision.Denied.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(identity.authorize(U1)).isInstanceOf(AccessDecision.Granted.class);
    }

    @Test
    void aKeyAddedOnGithubCountsAfterTheShortTtl() {
        link(U1, ANA, true);
        memberWithKeys();
        assertThat(identity.authorize(U1)).isInstanceOf(AccessDecision.Denied.class);

        gh.stubFor(get(urlPathEqualTo(KEYS)).willReturn(Github.ok(Github.keys(Github.ED25519))));
        clock.advance(Duration.ofMinutes(1));
        assertThat(identity.authorize(U1)).isInstanceOf(AccessDecision.Granted.class);
    }

    @Test
    void recheckAfterTheTtlIsConditional() {
        link(U1, ANA, true);
        gh.stubFor(get(MEMBER).willReturn(Github.noContent()));
        gh.stubFor(get(urlPathEqualTo(KEYS)).withHeader("If-None-Match", absent())
                .willReturn(Github.ok(Github.keys(Github.ED25519)).withHeader("ETag", "\"k1\"")));
        gh.stubFor(get(urlPathEqualTo(KEYS)).withHeader("If-None-Match", equalTo("\"k1\""))
                .willReturn(aResponse().withStatus(304).withHeader("X-RateLimit-Remaining", "4990")));
        identity.authorize(U1);

        clock.advance(Duration.ofMinutes(11));
        assertThat(identity.authorize(U1)).isInstanceOfSatisfying(AccessDecision.Granted.class, g -> assertThat(g.keys()).hasSize(1));

        gh.verify(1, getRequestedFor(urlPathEqualTo(KEYS)).withHeader("If-None-Match", equalTo("\"k1\"")));
        assertThat(identity.rateLimitRemaining()).isEqualTo(4990);
    }

    @Test
    void forgetMakesTheNextCheckAskGithub() {
        link(U1, ANA, true);
        memberWithKeys(Github.ED25519);
        identity.authorize(U1);
        identity.authorize(U1);
        gh.verify(1, getRequestedFor(urlPathEqualTo(MEMBER)));

        identity.forget(U1);
        identity.authorize(U1);
        gh.verify(2, getRequestedFor(urlPathEqualTo(MEMBER)));
    }

    @Test
    void adminLinkStoresTheAccountsIdAndDropsTheOldLoginsCache() {
        memberWithKeys(Github.ED25519);
        gh.stubFor(get("/users/bob").willReturn(Github.ok(Github.user("bob", 2002))));
        gh.stubFor(get("/user/2002").willReturn(Github.ok(Github.user("bob", 2002))));
        gh.stubFor(get("/orgs/pytorch/members/bob").willReturn(Github.notFound()));
        gh.stubFor(get("/users/ANA").willReturn(Github.ok(Github.user("ana", ANA_ID))));
        assertThat(identity.adminLink(U1, new GithubLogin("bob"))).isEqualTo(new LinkResult.Linked(new GithubLogin("bob")));
        assertThat(identity.authorize(U1)).isInstanceOf(AccessDecision.Denied.class);

        assertThat(identity.adminLink(U1, new GithubLogin("ANA"))).isEqualTo(new LinkResult.Linked(ANA));

        assertThat(store.link(U1)).hasValueSatisfying(l -> {
            assertThat(l).isEqualTo(new UserLink(U1, ANA, ANA_ID, true, clock.instant()));
            assertThat(l.login().value()).as("the login as GitHub spells it").isEqualTo("ana");
        });
        assertThat(identity.authorize(U1)).isInstanceOf(AccessDecision.Granted.class);
    }

    static List<Arguments> adminLinkRefusals() {
        return List.of(
                Arguments.of(named("no such user", Github.notFound()), LinkResult.Denied.class, "GitHub has no user nobody; nothing was linked."),
                Arguments.of(named("GitHub 500", Github.json(500, "{}")), LinkResult.Failed.class, "GitHub is unreachable"),
                Arguments.of(named("rate limited", Github.primaryLimit(Instant.parse("2026-11-29T11:00:00Z"))), LinkResult.Failed.class,
                        "GitHub is unreachable"),
                Arguments.of(named("connection reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)), LinkResult.Failed.class,
                        "GitHub is unreachable"));
    }

    @ParameterizedTest
    @MethodSource("adminLinkRefusals")
    void adminLinkOfALoginGithubCannotConfirmStoresNothing(ResponseDefinitionBuilder answer, Class<? extends LinkResult> outcome, String text) {
        gh.stubFor(get("/users/nobody").willReturn(answer));

        assertThat(identity.adminLink(U1, new GithubLogin("nobody"))).isInstanceOf(outcome).asString().contains(text);
        assertThat(store.link(U1)).isEmpty();

        link(U1, ANA, true);
        identity.adminLink(U1, new GithubLogin("nobody"));
        assertThat(store.link(U1)).hasValueSatisfying(l -> assertThat(l.login()).isEqualTo(ANA));
    }

    @Test
    void whoamiShowsLinkVerdictAndFingerprints() {
        link(U1, ANA, true);
        memberWithKeys(Github.ED25519, Github.RSA3072);

        Whoami w = identity.whoami(U1);

        assertThat(w).isInstanceOfSatisfying(Whoami.Known.class, k -> {
            assertThat(k.link().login()).isEqualTo(ANA);
            assertThat(k.verdict()).isEqualTo(new Verdict.Allowed("member of the GitHub org pytorch"));
            assertThat(k.keys()).extracting(Object::toString).containsExactly(
                    "256 " + Github.ED25519_SHA256 + " ana@github (ED25519)", "3072 " + Github.RSA3072_SHA256 + " ana@github (RSA)");
        });
        assertThat(w.text()).contains("GitHub: ana (id 1001, linked 2026-11-01T00:00:00Z)", "Access: allowed (member of the GitHub org pytorch)", Github.ED25519_SHA256);
    }

    @Test
    void whoamiShowsKeysEvenWhenRefused() {
        link(U1, ANA, true);
        memberWithKeys(Github.ED25519);
        gh.stubFor(get(MEMBER).willReturn(Github.notFound()));

        assertThat(identity.whoami(U1).text()).contains("Access: refused (ana is not a member of the GitHub org pytorch)", Github.ED25519_SHA256);
    }

    @Test
    void whoamiForUnlinkedAndUnreachable() {
        assertThat(identity.whoami(U1)).isEqualTo(new Whoami.NotLinked("Link your GitHub account first: run `/gpu link`."));

        link(U1, ANA, true);
        gh.stubFor(get(MEMBER).willReturn(Github.json(500, "{}")));
        assertThat(identity.whoami(U1)).isInstanceOf(Whoami.Unavailable.class);
    }
}
