package dev.gpudev.adapters.github.policy;

import java.util.regex.Pattern;

/** At least {@code minimum} on the repository {@code owner/name}; written {@code owner/name:level} in config. */
public record RepoRule(String owner, String name, Permission minimum) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    public RepoRule {
        if (!NAME.matcher(owner).matches() || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a repository is owner/name, not '" + owner + "/" + name + "'");
        }
        if (minimum == Permission.NONE) {
            throw new IllegalArgumentException("a repository rule needs a level above none");
        }
    }

    public static RepoRule parse(String text) {
        String[] repoAndLevel = text.strip().split(":", -1);
        String[] parts = repoAndLevel[0].split("/", -1);
        if (repoAndLevel.length != 2 || parts.length != 2) {
            throw new IllegalArgumentException("a repository rule is owner/name:level (read, triage, write, maintain, admin), not '" + text + "'");
        }
        Permission level = Permission.parse(repoAndLevel[1])
                .orElseThrow(() -> new IllegalArgumentException("unknown permission level in '" + text + "'"));
        return new RepoRule(parts[0], parts[1], level);
    }

    public String repo() {
        return owner + "/" + name;
    }

    @Override
    public String toString() {
        return repo() + ":" + minimum;
    }
}
