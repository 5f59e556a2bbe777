package dev.gpudev.adapters.github;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import dev.gpudev.adapters.github.policy.AccessPolicy;
import dev.gpudev.adapters.github.testing.Github;
import dev.gpudev.adapters.github.testing.ManualPoller;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.model.UserLink;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.testing.MutableClock;

/**
 * Not part of the normal test run (the name does not end in Test). Prints what a reservation check costs: GitHub
 * requests, of them counted against the rate limit, and time per check against a local WireMock.
 * Run: {@code ./mvnw -o -q test -pl adapters/github -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest=GithubIdentityBenchmark}
 */
class GithubIdentityBenchmark {
    @RegisterExtension
    static WireMockExtension gh = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final int USERS = 200;

    @Test
    void printTable() {
        MutableClock clock = MutableClock.at("2026-11-29T10:00:00Z");
        InMemoryReservationStore store = new InMemoryReservationStore();
        GithubSettings settings = GithubSettings.defaults(AccessPolicy.of(List.of("pytorch"), List.of("pytorch/dev-infra"), List.of(), "all", false))
                .withUrls(URI.create(gh.baseUrl()), URI.create("https://github.com")).withToken("ghp_bench");
        GithubIdentity identity = new GithubIdentity(settings, store, Github.http(), new ManualPoller(clock), clock, Github.ticker(clock));
        gh.stubFor(get(urlMatching("/orgs/pytorch/members/.*")).willReturn(Github.noContent()));
        gh.stubFor(get(urlMatching("/orgs/pytorch/teams/dev-infra/memberships/.*"))
                .willReturn(Github.ok(Github.teamMembership("active")).withHeader("ETag", "\"t1\"")));
        gh.stubFor(get(urlMatching("/users/.*/keys.*")).willReturn(Github.ok(Github.keys(Github.ED25519, Github.RSA3072)).withHeader("ETag", "\"k1\"")));
        gh.stubFor(get(urlMatching("/orgs/pytorch/teams/dev-infra/memberships/.*")).withHeader("If-None-Match", matching(".+"))
                .willReturn(aResponse().withStatus(304)));
        gh.stubFor(get(urlMatching("/users/.*/keys.*")).withHeader("If-None-Match", matching(".+")).willReturn(aResponse().withStatus(304)));
        gh.stubFor(get(urlMatching("/user/[0-9]+")).withHeader("If-None-Match", matching(".+")).willReturn(aResponse().withStatus(304)));
        for (int i = 0; i < USERS; i++) {
            store.saveLink(new UserLink(new UserId("U" + i), new GithubLogin("user-" + i), i + 1, true, Instant.EPOCH));
            gh.stubFor(get("/user/" + (i + 1)).willReturn(Github.ok(Github.user("user-" + i, i + 1)).withHeader("ETag", "\"u" + i + "\"")));
        }
        // warm the JIT and the HTTP connection
        for (int i = 0; i < 50; i++) {
            identity.forgetLogin(new GithubLogin("user-0"));
            identity.authorize(new UserId("U0"));
        }
        identity.forgetLogin(new GithubLogin("user-0"));
        gh.resetRequests();

        System.out.println();
        System.out.printf("%-34s %8s %10s %10s %12s%n", "check of " + USERS + " users", "requests", "rate-cost", "304s", "µs/check");
        row("cold (nothing cached)", () -> run(identity));
        row("cached (within TTL)", () -> run(identity));
        clock.advance(Duration.ofMinutes(11));
        row("after TTL (conditional re-check)", () -> run(identity));
    }

    private static long run(GithubIdentity identity) {
        long start = System.nanoTime();
        for (int i = 0; i < USERS; i++) {
            identity.authorize(new UserId("U" + i));
        }
        return System.nanoTime() - start;
    }

    private static void row(String name, Supplier<Long> body) {
        gh.resetRequests();
        long nanos = body.get();
        int requests = gh.findAll(anyRequestedFor(anyUrl())).size();
        int conditional = gh.findAll(anyRequestedFor(anyUrl()).withHeader("If-None-Match", matching(".+"))).size();
        int unconditional = gh.findAll(anyRequestedFor(anyUrl()).withHeader("If-None-Match", absent())).size();
        System.out.printf(Locale.ROOT, "%-34s %8d %10d %10d %12.1f%n", name, requests, unconditional, conditional, nanos / 1000.0 / USERS);
    }
}
