package dev.gpudev.adapters.github.api;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gpudev.adapters.github.testing.Github;
import dev.gpudev.scheduler.testing.MutableClock;

class GithubApiTest {
    @RegisterExtension
    static WireMockExtension gh = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final MutableClock clock = MutableClock.at("2026-11-29T10:00:00Z");
    private GithubApi api;

    @BeforeEach
    void setUp() {
        api = new GithubApi(Github.http(), URI.create(gh.baseUrl()), TokenSource.fixed("ghp_test"), Github.TIMEOUT, clock, Github.ticker(clock));
    }

    @Test
    void sendsTheTokenAndApiVersion() {
        gh.stubFor(get("/users/ana/keys").willReturn(Github.ok("[]")));

        api.get("/users/ana/keys");

        gh.verify(getRequestedFor(urlPathEqualTo("/users/ana/keys"))
                .withHeader("Authorization", equalTo("Bearer ghp_test"))
                .withHeader("Accept", equalTo("application/vnd.github+json"))
                .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28"))
                .withHeader("If-None-Match", absent()));
    }

    @Test
    void revalidatesWithTheEtagAndServesTheKeptBodyOn304() {
        gh.stubFor(get("/users/ana/keys").withHeader("If-None-Match", absent())
                .willReturn(Github.ok(Github.keys(Github.ED25519)).withHeader("ETag", "W/\"abc\"")));
        gh.stubFor(get("/users/ana/keys").withHeader("If-None-Match", equalTo("W/\"abc\""))
                .willReturn(aResponse().withStatus(304).withHeader("ETag", "W/\"abc\"")));

        ApiResponse first = api.get("/users/ana/keys");
        ApiResponse second = api.get("/users/ana/keys");

        assertThat(first.revalidated()).isFalse();
        assertThat(second.revalidated()).isTrue();
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        gh.verify(1, getRequestedFor(urlPathEqualTo("/users/ana/keys")).withHeader("If-None-Match", equalTo("W/\"abc\"")));
    }

    @Test
    void followsLinkHeadersAcrossPages() {
        String base = gh.baseUrl();
        gh.stubFor(get("/users/ana/keys?per_page=100").willReturn(Github.ok(Github.keys(Github.ED25519, Github.RSA3072))
                .withHeader("Link", "<" + base + "/user/1/keys?per_page=100&page=2>; rel=\"next\", <" + base + "/user/1/keys?per_page=100&page=3>; rel=\"last\"")));
        gh.stubFor(get("/user/1/keys?per_page=100&page=2").willReturn(Github.ok(Github.keys(Github.ECDSA384))
                .withHeader("Link", "<" + base + "/user/1/keys?per_page=100&page=1>; rel=\"prev\", <" + base + "/user/1/keys?per_page=100&page=3>; rel=\"next\"")));
        gh.stubFor(get("/user/1/keys?per_page=100&page=3").willReturn(Github.ok(Github.keys(Github.SK_ED25519))
                .withHeader("Link", "<" + base + "/user/1/keys?per_page=100&page=2>; rel=\"prev\", <" + base + "/user/1/keys?per_page=100&page=1>; rel=\"first\"")));

        Optional<List<JsonNode>> items = api.list("/users/ana/keys?per_page=100", 10);

        assertThat(items).get().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).hasSize(4);
    }

    @Test
    void stopsAtTheMaximumNumberOfPages() {
        String base = gh.baseUrl();
        gh.stubFor(get("/users/ana/keys").willReturn(Github.ok(Github.keys(Github.ED25519))
                .withHeader("Link", "<" + base + "/users/ana/keys>; rel=\"next\"")));

        assertThat(api.list("/users/ana/keys", 3)).get().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).hasSize(3);
    }

    @Test
    void neverSendsTheTokenToAnotherHost() {
        gh.stubFor(get("/users/ana/keys").willReturn(Github.ok(Github.keys(Github.ED25519))
                .withHeader("Link", "<https://evil.example/steal?page=2>; rel=\"next\"")));

        assertThatThrownBy(() -> api.list("/users/ana/keys", 10)).isInstanceOf(GithubUnavailableException.class)
                .hasMessageContaining("refusing");
    }

    @Test
    void aMissingUserIsEmptyNotAnError() {
        gh.stubFor(get("/users/nobody/keys").willReturn(Github.notFound()));

        assertThat(api.list("/users/nobody/keys", 10)).isEmpty();
    }

    static List<Arguments> failures() {
        return List.of(
                Arguments.of(Named.of("500", Github.json(500, "{\"message\":\"Server Error\"}"))),
                Arguments.of(Named.of("502 from the proxy", aResponse().withStatus(502).withBody("<html>bad gateway</html>"))),
                Arguments.of(Named.of("503", Github.json(503, "{\"message\":\"Service Unavailable\"}"))),
                Arguments.of(Named.of("401 bad credentials", Github.json(401, "{\"message\":\"Bad credentials\",\"status\":\"401\"}"))),
                Arguments.of(Named.of("403 without rate limit (token lacks a scope)", Github.json(403,
                        "{\"message\":\"Resource not accessible by personal access token\",\"status\":\"403\"}"))),
                Arguments.of(Named.of("422", Github.json(422, "{\"message\":\"Validation Failed\"}"))),
                Arguments.of(Named.of("connection reset", aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER))));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void anythingUndocumentedIsUnavailable(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
        gh.stubFor(get("/orgs/pytorch/members/ana").willReturn(response));

        assertThatThrownBy(() -> api.get("/orgs/pytorch/members/ana")).isInstanceOf(GithubUnavailableException.class)
                .hasMessageNotContaining("ghp_test");
    }

    @Test
    void primaryLimitClosesTheGateUntilReset() {
        Instant reset = clock.instant().plusSeconds(600);
        gh.stubFor(get("/orgs/pytorch/members/ana").willReturn(Github.primaryLimit(reset)));

        assertThatThrownBy(() -> api.get("/orgs/pytorch/members/ana")).isInstanceOf(GithubUnavailableException.class);
        clock.advance(Duration.ofSeconds(599));
        assertThatThrownBy(() -> api.get("/orgs/pytorch/members/ana")).isInstanceOf(GithubUnavailableException.class);
        gh.verify(1, getRequestedFor(urlPathEqualTo("/orgs/pytorch/members/ana")));
        assertThat(api.rateLimitRemaining()).isZero();

        gh.stubFor(get("/orgs/pytorch/members/ana").willReturn(Github.noContent()));
        clock.advance(Duration.ofSeconds(1));
        assertThat(api.get("/orgs/pytorch/members/ana").status()).isEqualTo(204);
    }

    static List<Arguments> secondaryLimits() {
        return List.of(Arguments.of(Named.of("403 + Retry-After", 403)), Arguments.of(Named.of("429 + Retry-After", 429)));
    }

    @ParameterizedTest
    @MethodSource("secondaryLimits")
    void secondaryLimitWaitsForRetryAfter(int status) {
        gh.stubFor(get("/orgs/pytorch/members/ana").willReturn(Github.secondaryLimit(status, 120)));

        assertThatThrownBy(() -> api.get("/orgs/pytorch/members/ana")).isInstanceOf(GithubUnavailableException.class);
        clock.advance(Duration.ofSeconds(119));
        assertThatThrownBy(() -> api.get("/orgs/pytorch/members/ana")).isInstanceOf(GithubUnavailableException.class);
        gh.verify(1, getRequestedFor(urlPathEqualTo("/orgs/pytorch/members/ana")));

        gh.stubFor(get("/orgs/pytorch/members/ana").willReturn(Github.noContent()));
        clock.advance(Duration.ofSeconds(1));
        assertThat(api.get("/orgs/pytorch/members/ana").status()).isEqualTo(204);
    }

    @Test
    void secondaryLimitWithoutRetryAfterWaitsAMinute() {
        gh.stubFor(get("/orgs/pytorch/members/ana").willReturn(Github.json(403,
                "{\"message\":\"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.\"}")));

        assertThatThrownBy(() -> api.get("/orgs/pytorch/members/ana")).isInstanceOf(GithubUnavailableException.class);
        gh.stubFor(get("/orgs/pytorch/members/ana").willReturn(Github.noContent()));
        clock.advance(Duration.ofSeconds(59));
        assertThatThrownBy(() -> api.get("/orgs/pytorch/members/ana")).isInstanceOf(GithubUnavailableException.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(api.get("/orgs/pytorch/members/ana").status()).isEqualTo(204);
    }
}
