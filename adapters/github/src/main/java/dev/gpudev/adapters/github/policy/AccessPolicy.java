package dev.gpudev.adapters.github.policy;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who may reserve: org memberships, active team memberships and repository permissions, all required
 * ({@link Match#ALL}) or any one enough ({@link Match#ANY}). A policy without rules must say so with
 * {@code allowAnyone}, so a missing config section never opens the cluster to every GitHub user.
 */
public record AccessPolicy(List<String> orgs, List<TeamRule> teams, List<RepoRule> repos, Match match, boolean allowAnyone) {
    private static final Pattern ORG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");

    public enum Match { ALL, ANY }

    public AccessPolicy {
        orgs = List.copyOf(orgs);
        teams = List.copyOf(teams);
        repos = List.copyOf(repos);
        orgs.forEach(o -> {
            if (!ORG.matcher(o).matches()) {
                throw new IllegalArgumentException("'" + o + "' is not a GitHub org name");
            }
        });
        boolean empty = orgs.isEmpty() && teams.isEmpty() && repos.isEmpty();
        if (empty && !allowAnyone) {
            throw new IllegalArgumentException("the GitHub access policy has no rules: set github.policy.orgs, .teams or .repos,"
                    + " or github.policy.allow-anyone: true to let every GitHub user with a linked account reserve");
        }
        if (!empty && allowAnyone) {
            throw new IllegalArgumentException("github.policy.allow-anyone contradicts the org/team/repo rules; remove one");
        }
    }

    /** Every linked GitHub user may reserve: for sandboxes and tests. */
    public static AccessPolicy anyone() {
        return new AccessPolicy(List.of(), List.of(), List.of(), Match.ALL, true);
    }

    /** Parses config text: orgs by name, teams as {@code org/slug}, repos as {@code owner/name:level}. */
    public static AccessPolicy of(List<String> orgs, List<String> teams, List<String> repos, String match, boolean allowAnyone) {
        Match m = switch (match.strip().toLowerCase(Locale.ROOT)) {
            case "all", "" -> Match.ALL;
            case "any" -> Match.ANY;
            default -> throw new IllegalArgumentException("github.policy.match is all or any, not '" + match + "'");
        };
        return new AccessPolicy(orgs.stream().map(String::strip).toList(), teams.stream().map(TeamRule::parse).toList(),
                repos.stream().map(RepoRule::parse).toList(), m, allowAnyone);
    }
}
