package dev.gpudev.adapters.github.device;

import dev.gpudev.scheduler.model.GithubLogin;

/** How a device flow ended. */
public sealed interface LinkResult {
    /** GitHub proved the user controls {@code login}; the link is stored. */
    record Linked(GithubLogin login) implements LinkResult {
    }

    /** The user pressed Cancel on GitHub's authorization page. */
    record Denied(String reason) implements LinkResult {
    }

    /** The code was not entered in time. */
    record Expired(String reason) implements LinkResult {
    }

    /** GitHub stayed unreachable, or refused the bot's client configuration. */
    record Failed(String reason) implements LinkResult {
    }
}
