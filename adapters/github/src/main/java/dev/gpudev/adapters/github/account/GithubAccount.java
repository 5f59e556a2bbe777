package dev.gpudev.adapters.github.account;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import tools.jackson.databind.JsonNode;

import dev.gpudev.adapters.github.api.GithubUnavailableException;
import dev.gpudev.scheduler.model.GithubLogin;

/** A GitHub account: its id, its login now, and when it was created ({@link Instant#EPOCH} when GitHub did not say). */
public record GithubAccount(long id, GithubLogin login, Instant createdAt) {
    public GithubAccount {
        if (id <= 0) {
            throw new IllegalArgumentException("GitHub account ids are positive: " + id);
        }
    }

    /** The user object GitHub returns from {@code /user}, {@code /user/{id}} and {@code /users/{login}}. */
    public static GithubAccount of(JsonNode user) {
        long id = user.path("id").asLong(0);
        String login = user.path("login").asString("");
        if (id <= 0 || !GithubLogin.isValid(login)) {
            throw new GithubUnavailableException("GitHub sent a user without a valid id and login");
        }
        Instant created;
        try {
            created = Instant.parse(user.path("created_at").asString(Instant.EPOCH.toString()));
        } catch (DateTimeParseException e) {
            created = Instant.EPOCH;
        }
        return new GithubAccount(id, new GithubLogin(login), created);
    }
}
