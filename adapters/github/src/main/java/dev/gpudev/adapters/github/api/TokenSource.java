package dev.gpudev.adapters.github.api;

import java.util.Optional;

/** The bearer token the bot sends to GitHub: a fixed token, an App installation token, or none (public data only). */
@FunctionalInterface
public interface TokenSource {
    Optional<String> token();

    static TokenSource fixed(String token) {
        Optional<String> t = token.isBlank() ? Optional.empty() : Optional.of(token.strip());
        return () -> t;
    }

    static TokenSource none() {
        return Optional::empty;
    }
}
