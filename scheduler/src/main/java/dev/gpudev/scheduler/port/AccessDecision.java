package dev.gpudev.scheduler.port;

import java.util.List;

import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.SshPublicKey;

/** The answer of the access policy. Anything but {@link Granted} refuses the request. */
public sealed interface AccessDecision {
    record Granted(GithubLogin login, List<SshPublicKey> keys) implements AccessDecision {
        public Granted {
            keys = List.copyOf(keys);
        }
    }

    /** The user is not linked, not allowed, or has no keys: {@code reason} tells them what to do. */
    record Denied(String reason) implements AccessDecision {
    }

    /** GitHub could not answer and no fresh decision is cached. */
    record Unavailable(String reason) implements AccessDecision {
    }
}
