package dev.gpudev.adapters.github;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gpudev.adapters.github.policy.AccessPolicy;
import dev.gpudev.adapters.github.testing.Github;
import dev.gpudev.adapters.github.testing.LogCapture;
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

/** A link names the GitHub account by id: renames are followed, a login taken over by someone else is never used. */
class AccountByIdTest {
    @RegisterExtension
    static WireMockExtension gh = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final UserId U1 = new UserId("U0123ALI");
    private static final GithubLogin ALICE = new GithubLogin("alice");
    private static final GithubLogin ALICE_NEW = new GithubLogin("alice-new");
    private static final Instant LINKED = Instant.parse("2026-11-01T00:00:00Z");
    private static final UserLink LINK = new UserLink(U1, ALICE, 42, true, LINKED);
    private static final String ACCOUNT = "/user/42";

    private final MutableClock clock = MutableClock.at("2026-11-29T10:00:00Z");
    private final InMemoryReservationStore store = new InMemoryReservationStore();
    private LogCapture log;
    private GithubIdentity identity;

    @BeforeEach
    void setUp() {
        log = LogCapture.open();
        identity = identity(store);
        memberWithKeys("alice", Github.RSA3072);      // whoever holds the login "alice" now
        memberWithKeys("alice-new", Github.ED25519);
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    private GithubIdentity identity(ReservationStore links) {
        GithubSettings settings = GithubSettings.defaults(AccessPolicy.of(List.of("pytorch"), List.of(), List.of(), "all", false))
                .withUrls(URI.create(gh.baseUrl()), URI.create("https://github.example")).withToken("ghp_bot").withOauthClientId("Iv1.client");
        return new GithubIdentity(settings, links, Github.http(), new ManualPoller(clock), clock, Github.ticker(clock));
    }

    private static void memberWithKeys(String login, String key) {
        gh.stubFor(get("/orgs/pytorch/members/" + login).willReturn(Github.noContent()));
        gh.stubFor(get(urlPathEqualTo("/users/" + login + "/keys")).willReturn(Github.ok(Github.keys(key))));
    }

    private static void grantedToAliceNew(AccessDecision d) {
        assertThat(d).isInstanceOfSatisfying(AccessDecision.Granted.class, g -> {
            assertThat(g.login().value()).isEqualTo("alice-new");
            SshPublicKey key = SshPublicKey.parse(Github.ED25519);
            assertThat(g.keys()).containsExactly(new SshPublicKey(key.type(), key.base64(), "alice-new@github"));
        });
    }

    @Test
    void aRenamedAccountKeepsWorkingAndTheLinkFollowsTheRename() {
        store.saveLink(LINK);
        gh.stubFor(get(ACCOUNT).willReturn(Github.ok(Github.user("alice-new", 42))));

        grantedToAliceNew(identity.authorize(U1));

        gh.verify(1, getRequestedFor(urlPathEqualTo("/users/alice-new/keys")));
        gh.verify(1, getRequestedFor(urlPathEqualTo("/orgs/pytorch/members/alice-new")));
        assertThat(store.link(U1)).hasValueSatisfying(l -> {
            assertThat(l).isEqualTo(new UserLink(U1, ALICE_NEW, 42, true, LINKED));
            assertThat(l.login().value()).isEqualTo("alice-new");
        });
        assertThat(log.lines()).anyMatch(l -> l.startsWith("INFO") && l.contains("42") && l.contains("alice-new") && l.contains("was alice"))
                .noneMatch(l -> l.contains("ghp_bot"));
        assertThat(identity.whoami(U1).text()).contains("GitHub: alice-new (id 42, linked 2026-11-01T00:00:00Z)", Github.ED25519_SHA256);
    }

    @Test
    void aLoginTakenOverBySomeoneElseIsNeverAskedFor() {
        store.saveLink(LINK);
        gh.stubFor(get(ACCOUNT).willReturn(Github.ok(Github.user("alice-new", 42))));

        grantedToAliceNew(identity.authorize(U1));
        identity.whoami(U1);
        clock.advance(Duration.ofHours(1));
        grantedToAliceNew(identity.authorize(U1));

        gh.verify(0, getRequestedFor(urlPathEqualTo("/users/alice/keys")));
        gh.verify(0, getRequestedFor(urlPathEqualTo("/orgs/pytorch/members/alice")));
        gh.verify(0, getRequestedFor(urlPathEqualTo("/users/alice")));
    }

    @Test
    void aDeletedAccountIsRefusedWithWhatToDo() {
        store.saveLink(LINK);
        gh.stubFor(get(ACCOUNT).willReturn(Github.notFound()));

        assertThat(identity.authorize(U1)).isEqualTo(new AccessDecision.Denied(
                "The GitHub account you linked (alice, id 42) no longer exists: run `/gpu link` again."));
        assertThat(identity.whoami(U1)).isEqualTo(new Whoami.NotLinked(
                "The GitHub account you linked (alice, id 42) no longer exists: run `/gpu link` again."));
        gh.verify(0, getRequestedFor(urlPathEqualTo("/users/alice/keys")));
        gh.verify(0, getRequestedFor(urlPathEqualTo("/orgs/pytorch/members/alice")));
        assertThat(store.link(U1)).contains(LINK);
    }

    @Test
    void githubTroubleWithNothingCachedIsUnavailableNeverAGrant() {
        store.saveLink(LINK);
        gh.stubFor(get(ACCOUNT).willReturn(Github.json(500, "{\"message\":\"Server Error\"}")));

        assertThat(identity.authorize(U1)).isEqualTo(new AccessDecision.Unavailable(GithubIdentity.UNREACHABLE));
        assertThat(identity.whoami(U1)).isEqualTo(new Whoami.Unavailable(LINK, GithubIdentity.UNREACHABLE));
        gh.verify(0, getRequestedFor(urlPathEqualTo("/users/alice/keys")));
        assertThat(store.link(U1)).contains(LINK);
    }

    @Test
    void theLoginOfAnIdIsCachedForTheKeysTtl() {
        store.saveLink(LINK);
        gh.stubFor(get(ACCOUNT).willReturn(Github.ok(Github.user("alice", 42))));
        identity.authorize(U1);
        clock.advance(Duration.ofMinutes(9));
        identity.authorize(U1);
        gh.verify(1, getRequestedFor(urlPathEqualTo(ACCOUNT)));

        gh.stubFor(get(ACCOUNT).willReturn(Github.ok(Github.user("alice-new", 42))));
        clock.advance(Duration.ofMinutes(1));
        grantedToAliceNew(identity.authorize(U1));
        gh.verify(2, getRequestedFor(urlPathEqualTo(ACCOUNT)));
    }

    @Test
    void theLoginOfAnIdIsRecheckedConditionally() {
        store.saveLink(LINK);
        gh.stubFor(get(ACCOUNT).withHeader("If-None-Match", absent())
                .willReturn(Github.ok(Github.user("alice-new", 42)).withHeader("ETag", "\"u42\"")));
        gh.stubFor(get(ACCOUNT).withHeader("If-None-Match", equalTo("\"u42\"")).willReturn(aResponse().withStatus(304)));
        identity.authorize(U1);

        clock.advance(Duration.ofMinutes(11));
        grantedToAliceNew(identity.authorize(U1));
        gh.verify(1, getRequestedFor(urlPathEqualTo(ACCOUNT)).withHeader("If-None-Match", equalTo("\"u42\"")));
    }

    @Test
    void aStoreFailureWhileFollowingARenameDoesNotDeny() {
        store.saveLink(LINK);
        gh.stubFor(get(ACCOUNT).willReturn(Github.ok(Github.user("alice-new", 42))));
        ReservationStore readOnly = (ReservationStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ReservationStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("saveLink")) {
                        throw new StoreUnavailableException("dynamodb down", new RuntimeException());
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });

        grantedToAliceNew(identity(readOnly).authorize(U1));
        assertThat(store.link(U1)).contains(LINK);
        assertThat(log.lines()).anyMatch(l -> l.startsWith("WARNING") && l.contains("updating the GitHub link"));
    }

    @Test
    void aLinkStoredBeforeIdsWereKeptLearnsItsIdOnce() {
        UserLink old = new UserLink(U1, ALICE, UserLink.UNKNOWN_ID, true, LINKED);
        store.saveLink(old);
        gh.stubFor(get("/users/alice").willReturn(Github.ok(Github.user("alice", 42, Instant.parse("2015-03-04T05:06:07Z")))));
        gh.stubFor(get(ACCOUNT).willReturn(Github.ok(Github.user("alice", 42))));

        assertThat(identity.authorize(U1)).isInstanceOfSatisfying(AccessDecision.Granted.class, g -> assertThat(g.login()).isEqualTo(ALICE));
        assertThat(store.link(U1)).contains(new UserLink(U1, ALICE, 42, true, LINKED));
        assertThat(log.lines()).anyMatch(l -> l.startsWith("INFO") && l.contains("learned GitHub id 42"));

        identity.authorize(U1);
        clock.advance(Duration.ofHours(1));
        identity.authorize(U1);
        gh.verify(1, getRequestedFor(urlPathEqualTo("/users/alice")));
        gh.verify(1, getRequestedFor(urlPathEqualTo(ACCOUNT)));
    }

    @Test
    void anOldLinkWhoseLoginNowBelongsToANewerAccountIsRefused() {
        UserLink old = new UserLink(U1, ALICE, UserLink.UNKNOWN_ID, true, LINKED);
        store.saveLink(old);
        gh.stubFor(get("/users/alice").willReturn(Github.ok(Github.user("alice", 77, Instant.parse("2026-11-20T00:00:00Z")))));

        assertThat(identity.authorize(U1)).isInstanceOfSatisfying(AccessDecision.Denied.class,
                d -> assertThat(d.reason()).contains("alice", "somebody else's", "/gpu link"));
        assertThat(store.link(U1)).contains(old);
        gh.verify(0, getRequestedFor(urlPathEqualTo("/users/alice/keys")));
    }

    @Test
    void anOldLinkWhoseLoginIsGoneIsRefused() {
        UserLink old = new UserLink(U1, ALICE, UserLink.UNKNOWN_ID, true, LINKED);
        store.saveLink(old);
        gh.stubFor(get("/users/alice").willReturn(Github.notFound()));

        assertThat(identity.authorize(U1)).isInstanceOfSatisfying(AccessDecision.Denied.class,
                d -> assertThat(d.reason()).contains("gone or renamed", "/gpu link"));
        assertThat(store.link(U1)).contains(old);
    }

    @Test
    void aLinkMadeWhileTheRenameWasLookedUpIsNotOverwritten() {
        store.saveLink(LINK);
        UserLink newer = new UserLink(U1, new GithubLogin("bob"), 7, true, LINKED.plusSeconds(60));
        gh.stubFor(get(ACCOUNT).willReturn(Github.ok(Github.user("alice-new", 42))));
        ReservationStore racing = (ReservationStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ReservationStore.class},
                (proxy, method, args) -> {
                    Object result = method.invoke(store, args);
                    if (method.getName().equals("link") && store.link(U1).orElseThrow().equals(LINK)) {
                        store.saveLink(newer);     // a /gpu link lands right after the first read
                    }
                    return result;
                });

        grantedToAliceNew(identity(racing).authorize(U1));
        assertThat(store.link(U1)).contains(newer);
    }
}
