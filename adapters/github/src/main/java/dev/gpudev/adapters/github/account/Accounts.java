package dev.gpudev.adapters.github.account;

import java.util.Optional;

import dev.gpudev.adapters.github.api.ApiResponse;
import dev.gpudev.adapters.github.api.GithubApi;
import dev.gpudev.adapters.github.api.GithubUnavailableException;
import dev.gpudev.scheduler.model.GithubLogin;

/** {@code GET /user/{account_id}} and {@code GET /users/{login}}: empty on a 404, {@link GithubUnavailableException} on trouble. */
public final class Accounts {
    private final GithubApi api;

    public Accounts(GithubApi api) {
        this.api = api;
    }

    /** The account with this id as it is now (its login may have changed); empty when it was deleted. */
    public Optional<GithubAccount> byId(long id) {
        Optional<GithubAccount> found = fetch("/user/" + id);
        if (found.isPresent() && found.get().id() != id) {
            throw new GithubUnavailableException("GitHub answered GET /user/" + id + " with account " + found.get().id());
        }
        return found;
    }

    /** Whoever holds this login now; empty when nobody does. */
    public Optional<GithubAccount> byLogin(GithubLogin login) {
        return fetch("/users/" + login.value());
    }

    private Optional<GithubAccount> fetch(String path) {
        ApiResponse res = api.get(path);
        return switch (res.status()) {
            case 200 -> Optional.of(GithubAccount.of(GithubApi.json(res)));
            case 404 -> Optional.empty();
            default -> throw new GithubUnavailableException("GitHub answered " + res.status() + " to GET " + path);
        };
    }
}
