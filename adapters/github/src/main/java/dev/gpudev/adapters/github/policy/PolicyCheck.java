package dev.gpudev.adapters.github.policy;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

import dev.gpudev.adapters.github.api.ApiResponse;
import dev.gpudev.adapters.github.api.GithubApi;
import dev.gpudev.adapters.github.api.GithubUnavailableException;
import dev.gpudev.scheduler.model.GithubLogin;

/**
 * Evaluates an {@link AccessPolicy} for one login, rule by rule, against GitHub. Throws
 * {@link GithubUnavailableException} when any needed answer is missing: a verdict is never guessed.
 */
public final class PolicyCheck {
    private final GithubApi api;
    private final AccessPolicy policy;

    private record Outcome(boolean passed, String text) {
    }

    public PolicyCheck(GithubApi api, AccessPolicy policy) {
        this.api = api;
        this.policy = policy;
    }

    public AccessPolicy policy() {
        return policy;
    }

    public Verdict check(GithubLogin login) {
        if (policy.allowAnyone()) {
            return new Verdict.Allowed("the policy lets every linked GitHub user reserve");
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (String org : policy.orgs()) {
            outcomes.add(org(login, org));
            if (decided(outcomes)) {
                return verdict(outcomes);
            }
        }
        for (TeamRule team : policy.teams()) {
            outcomes.add(team(login, team));
            if (decided(outcomes)) {
                return verdict(outcomes);
            }
        }
        for (RepoRule repo : policy.repos()) {
            outcomes.add(repo(login, repo));
            if (decided(outcomes)) {
                return verdict(outcomes);
            }
        }
        return verdict(outcomes);
    }

    /** ALL stops at the first failure, ANY at the first pass: later rules cannot change the verdict. */
    private boolean decided(List<Outcome> outcomes) {
        Outcome last = outcomes.getLast();
        return policy.match() == AccessPolicy.Match.ALL ? !last.passed() : last.passed();
    }

    private Verdict verdict(List<Outcome> outcomes) {
        return switch (policy.match()) {
            case ALL -> outcomes.stream().filter(o -> !o.passed()).findFirst()
                    .<Verdict>map(o -> new Verdict.Refused(o.text()))
                    .orElseGet(() -> new Verdict.Allowed(join(outcomes)));
            case ANY -> outcomes.stream().filter(Outcome::passed).findFirst()
                    .<Verdict>map(o -> new Verdict.Allowed(o.text()))
                    .orElseGet(() -> new Verdict.Refused(join(outcomes)));
        };
    }

    private static String join(List<Outcome> outcomes) {
        return String.join("; ", outcomes.stream().map(Outcome::text).toList());
    }

    private Outcome org(GithubLogin login, String org) {
        ApiResponse res = api.get("/orgs/" + org + "/members/" + login.value());
        return switch (res.status()) {
            case 204 -> new Outcome(true, "member of the GitHub org " + org);
            case 404 -> new Outcome(false, login + " is not a member of the GitHub org " + org);
            // 302: the bot's token cannot see private members; public membership is all GitHub will confirm.
            case 302 -> publicMember(login, org);
            default -> throw unexpected(res, "org membership");
        };
    }

    private Outcome publicMember(GithubLogin login, String org) {
        ApiResponse res = api.get("/orgs/" + org + "/public_members/" + login.value());
        return switch (res.status()) {
            case 204 -> new Outcome(true, "public member of the GitHub org " + org);
            case 404 -> new Outcome(false, login + " is not a public member of the GitHub org " + org
                    + " (the bot can only see public members: make your membership public, or ask an operator to give the bot a token from a member of " + org + ")");
            default -> throw unexpected(res, "public org membership");
        };
    }

    private Outcome team(GithubLogin login, TeamRule team) {
        ApiResponse res = api.get("/orgs/" + team.org() + "/teams/" + team.slug() + "/memberships/" + login.value());
        return switch (res.status()) {
            case 200 -> {
                String state = GithubApi.json(res).path("state").asString("");
                yield switch (state) {
                    case "active" -> new Outcome(true, "active member of the team " + team);
                    case "pending" -> new Outcome(false, login + "'s invitation to the team " + team
                            + " is pending: accept it on GitHub, then try again");
                    default -> new Outcome(false, login + " is not an active member of the team " + team + " (state '" + state + "')");
                };
            }
            case 404 -> new Outcome(false, login + " is not a member of the team " + team);
            default -> throw unexpected(res, "team membership");
        };
    }

    private Outcome repo(GithubLogin login, RepoRule rule) {
        ApiResponse res = api.get("/repos/" + rule.repo() + "/collaborators/" + login.value() + "/permission");
        return switch (res.status()) {
            case 200 -> {
                Permission has = level(GithubApi.json(res));
                yield has.atLeast(rule.minimum())
                        ? new Outcome(true, has + " on " + rule.repo() + " (needs " + rule.minimum() + ")")
                        : new Outcome(false, login + " has " + has + " on " + rule.repo() + ", needs " + rule.minimum());
            }
            case 404 -> new Outcome(false, login + " has no access to " + rule.repo() + ", needs " + rule.minimum());
            default -> throw unexpected(res, "repository permission");
        };
    }

    /** {@code role_name} is exact (triage, maintain); {@code permission} folds them into read/write and is the fallback for custom roles. */
    static Permission level(JsonNode json) {
        return Permission.parse(json.path("role_name").asString(""))
                .or(() -> Permission.parse(json.path("permission").asString("")))
                .orElse(Permission.NONE);
    }

    private static GithubUnavailableException unexpected(ApiResponse res, String what) {
        return new GithubUnavailableException("GitHub answered " + res.status() + " to a " + what + " check");
    }
}
