package dev.gpudev.adapters.github.policy;

/** What the access policy says about a GitHub login, with the reason in words a user can act on. */
public sealed interface Verdict {
    String reason();

    record Allowed(String reason) implements Verdict {
    }

    record Refused(String reason) implements Verdict {
    }
}
