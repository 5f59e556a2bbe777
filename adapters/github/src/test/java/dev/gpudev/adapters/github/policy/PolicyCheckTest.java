package dev.gpudev.adapters.github.policy;

import java.net.URI;
import java.util.List;
import java.util.function.Function;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import dev.gpudev.adapters.github.api.GithubApi;
import dev.gpudev.adapters.github.api.GithubUnavailableException;
import dev.gpudev.adapters.github.api.TokenSource;
import dev.gpudev.adapters.github.testing.Github;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.testing.MutableClock;

class PolicyCheckTest {
    @RegisterExtension
    static WireMockExtension gh = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final GithubLogin ANA = new GithubLogin("ana");
    private static final String MEMBER = "/orgs/pytorch/members/ana";
    private static final String PUBLIC_MEMBER = "/orgs/pytorch/public_members/ana";
    private static final String TEAM = "/orgs/pytorch/teams/dev-infra/memberships/ana";
    private static final String PERMISSION = "/repos/pytorch/pytorch/collaborators/ana/permission";

    private final MutableClock clock = MutableClock.at("2026-11-29T10:00:00Z");

    private PolicyCheck check(AccessPolicy policy) {
        GithubApi api = new GithubApi(Github.http(), URI.create(gh.baseUrl()), TokenSource.fixed("t"), Github.TIMEOUT, clock, Github.ticker(clock));
        return new PolicyCheck(api, policy);
    }

    private static AccessPolicy org() {
        return AccessPolicy.of(List.of("pytorch"), List.of(), List.of(), "all", false);
    }

    private static AccessPolicy team() {
        return AccessPolicy.of(List.of(), List.of("pytorch/dev-infra"), List.of(), "all", false);
    }

    private static AccessPolicy repo(String level) {
        return AccessPolicy.of(List.of(), List.of(), List.of("pytorch/pytorch:" + level), "all", false);
    }

    /** A named case: policy, stubs by path, expected verdict type and a fragment of its reason. */
    record Case(AccessPolicy policy, List<Stub> stubs, Class<? extends Verdict> verdict, String reason) {
    }

    record Stub(String path, Function<String, ResponseDefinitionBuilder> response) {
        static Stub of(String path, ResponseDefinitionBuilder r) {
            return new Stub(path, base -> r);
        }
    }

    static List<Arguments> cases() {
        return List.of(
                Arguments.of(named("org member: 204", new Case(org(), List.of(Stub.of(MEMBER, Github.noContent())),
                        Verdict.Allowed.class, "member of the GitHub org pytorch"))),
                Arguments.of(named("not an org member: 404", new Case(org(), List.of(Stub.of(MEMBER, Github.notFound())),
                        Verdict.Refused.class, "ana is not a member of the GitHub org pytorch"))),
                Arguments.of(named("302 then public member: 204", new Case(org(), List.of(
                        new Stub(MEMBER, base -> Github.redirectToPublicMembers(base, "pytorch", "ana")), Stub.of(PUBLIC_MEMBER, Github.noContent())),
                        Verdict.Allowed.class, "public member of the GitHub org pytorch"))),
                Arguments.of(named("302 then not public: 404", new Case(org(), List.of(
                        new Stub(MEMBER, base -> Github.redirectToPublicMembers(base, "pytorch", "ana")), Stub.of(PUBLIC_MEMBER, Github.notFound())),
                        Verdict.Refused.class, "make your membership public"))),
                Arguments.of(named("team active", new Case(team(), List.of(Stub.of(TEAM, Github.ok(Github.teamMembership("active")))),
                        Verdict.Allowed.class, "active member of the team pytorch/dev-infra"))),
                Arguments.of(named("team pending", new Case(team(), List.of(Stub.of(TEAM, Github.ok(Github.teamMembership("pending")))),
                        Verdict.Refused.class, "invitation to the team pytorch/dev-infra is pending"))),
                Arguments.of(named("team: not a member, 404", new Case(team(), List.of(Stub.of(TEAM, Github.notFound())),
                        Verdict.Refused.class, "ana is not a member of the team pytorch/dev-infra"))),
                Arguments.of(named("admin satisfies write", new Case(repo("write"), List.of(Stub.of(PERMISSION, Github.ok(Github.permission("admin", "admin")))),
                        Verdict.Allowed.class, "admin on pytorch/pytorch (needs write)"))),
                Arguments.of(named("maintain (permission says write) satisfies maintain", new Case(repo("maintain"),
                        List.of(Stub.of(PERMISSION, Github.ok(Github.permission("write", "maintain")))), Verdict.Allowed.class, "maintain on pytorch/pytorch"))),
                Arguments.of(named("write is below maintain", new Case(repo("maintain"),
                        List.of(Stub.of(PERMISSION, Github.ok(Github.permission("write", "write")))), Verdict.Refused.class, "ana has write on pytorch/pytorch, needs maintain"))),
                Arguments.of(named("triage (permission says read) is below write", new Case(repo("write"),
                        List.of(Stub.of(PERMISSION, Github.ok(Github.permission("read", "triage")))), Verdict.Refused.class, "ana has triage on pytorch/pytorch, needs write"))),
                Arguments.of(named("triage satisfies triage", new Case(repo("triage"),
                        List.of(Stub.of(PERMISSION, Github.ok(Github.permission("read", "triage")))), Verdict.Allowed.class, "triage on pytorch/pytorch"))),
                Arguments.of(named("custom role falls back to permission", new Case(repo("write"),
                        List.of(Stub.of(PERMISSION, Github.ok(Github.permission("write", "security-engineer")))), Verdict.Allowed.class, "write on pytorch/pytorch"))),
                Arguments.of(named("none", new Case(repo("read"),
                        List.of(Stub.of(PERMISSION, Github.ok(Github.permission("none", "none")))), Verdict.Refused.class, "ana has none on pytorch/pytorch, needs read"))),
                Arguments.of(named("repo 404", new Case(repo("read"), List.of(Stub.of(PERMISSION, Github.notFound())),
                        Verdict.Refused.class, "ana has no access to pytorch/pytorch, needs read"))),
                Arguments.of(named("all: org ok, team pending -> refused by the team", new Case(
                        AccessPolicy.of(List.of("pytorch"), List.of("pytorch/dev-infra"), List.of(), "all", false),
                        List.of(Stub.of(MEMBER, Github.noContent()), Stub.of(TEAM, Github.ok(Github.teamMembership("pending")))),
                        Verdict.Refused.class, "pending"))),
                Arguments.of(named("all: every rule passes, reasons joined", new Case(
                        AccessPolicy.of(List.of("pytorch"), List.of("pytorch/dev-infra"), List.of("pytorch/pytorch:write"), "all", false),
                        List.of(Stub.of(MEMBER, Github.noContent()), Stub.of(TEAM, Github.ok(Github.teamMembership("active"))),
                                Stub.of(PERMISSION, Github.ok(Github.permission("write", "write")))),
                        Verdict.Allowed.class, "member of the GitHub org pytorch; active member of the team pytorch/dev-infra; write on pytorch/pytorch"))),
                Arguments.of(named("any: org fails, repo passes", new Case(
                        AccessPolicy.of(List.of("pytorch"), List.of(), List.of("pytorch/pytorch:read"), "any", false),
                        List.of(Stub.of(MEMBER, Github.notFound()), Stub.of(PERMISSION, Github.ok(Github.permission("read", "read")))),
                        Verdict.Allowed.class, "read on pytorch/pytorch"))),
                Arguments.of(named("any: all fail, every reason listed", new Case(
                        AccessPolicy.of(List.of("pytorch"), List.of("pytorch/dev-infra"), List.of(), "any", false),
                        List.of(Stub.of(MEMBER, Github.notFound()), Stub.of(TEAM, Github.notFound())),
                        Verdict.Refused.class, "ana is not a member of the GitHub org pytorch; ana is not a member of the team pytorch/dev-infra"))),
                Arguments.of(named("anyone", new Case(AccessPolicy.anyone(), List.of(), Verdict.Allowed.class, "every linked GitHub user"))));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void decides(Case c) {
        c.stubs().forEach(s -> gh.stubFor(get(s.path()).willReturn(s.response().apply(gh.baseUrl()))));

        Verdict verdict = check(c.policy()).check(ANA);

        assertThat(verdict).isInstanceOf(c.verdict());
        assertThat(verdict.reason()).contains(c.reason());
    }

    @Test
    void allStopsAtTheFirstFailure() {
        gh.stubFor(get(MEMBER).willReturn(Github.notFound()));

        check(AccessPolicy.of(List.of("pytorch"), List.of("pytorch/dev-infra"), List.of(), "all", false)).check(ANA);

        gh.verify(0, getRequestedFor(urlPathMatching("/orgs/pytorch/teams/.*")));
    }

    @Test
    void aServerErrorOnAnyRuleIsNoVerdict() {
        gh.stubFor(get(MEMBER).willReturn(Github.notFound()));
        gh.stubFor(get(TEAM).willReturn(Github.json(502, "{\"message\":\"Server Error\"}")));
        PolicyCheck check = check(AccessPolicy.of(List.of("pytorch"), List.of("pytorch/dev-infra"), List.of(), "any", false));

        assertThatThrownBy(() -> check.check(ANA)).isInstanceOf(GithubUnavailableException.class);
    }
}
