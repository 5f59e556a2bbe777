package dev.gpudev.scheduler.testing;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.AccessDecision;
import dev.gpudev.scheduler.port.Identity;

/** Grants everybody, with one ed25519 key, unless a test sets another answer for a user. */
public final class FakeIdentity implements Identity {
    public final Map<UserId, AccessDecision> answers = new ConcurrentHashMap<>();

    @Override
    public AccessDecision authorize(UserId user) {
        return answers.getOrDefault(user, new AccessDecision.Granted(
                new GithubLogin("gh-" + user.value().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "")),
                List.of(Fixtures.ED25519)));
    }

    @Override
    public AccessDecision authorizeLogin(GithubLogin login) {
        return new AccessDecision.Granted(login, List.of(Fixtures.ED25519));
    }
}
