package dev.gpudev.adapters.github.policy;

import java.util.regex.Pattern;

/** Active membership of a team, named {@code org/team-slug}. */
public record TeamRule(String org, String slug) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public TeamRule {
        if (!NAME.matcher(org).matches() || !NAME.matcher(slug).matches()) {
            throw new IllegalArgumentException("a team is org/team-slug, not '" + org + "/" + slug + "'");
        }
    }

    public static TeamRule parse(String text) {
        String[] parts = text.strip().split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("a team is org/team-slug, not '" + text + "'");
        }
        return new TeamRule(parts[0], parts[1]);
    }

    @Override
    public String toString() {
        return org + "/" + slug;
    }
}
