package dev.gpudev.adapters.github.device;

import dev.gpudev.scheduler.model.GithubLogin;

/** How linking ended: a device flow, or an admin's {@code /gpu admin link}. */
public sealed interface LinkResult {
    /** GitHub proved the user controls {@code login} (or an admin vouched for it); the link, with the account id, is stored. */
    record Linked(GithubLogin login) implements LinkResult {
    }

    /** The user pressed Cancel on GitHub's authorization page, or GitHub has no user of the login an admin gave. */
    record Denied(String reason) implements LinkResult {
    }

    /** The code was not entered in time. */
    record Expired(String reason) implements LinkResult {
    }

    /** GitHub stayed unreachable, or refused the bot's client configuration. */
    record Failed(String reason) implements LinkResult {
    }
}
