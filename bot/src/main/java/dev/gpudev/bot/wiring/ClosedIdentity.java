package dev.gpudev.bot.wiring;

import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.AccessDecision;
import dev.gpudev.scheduler.port.Identity;

/** Outside the sandbox with GitHub not configured nobody has keys, so nobody may reserve: fail closed, and say why. */
final class ClosedIdentity implements Identity {
    private static final String WHY = "This bot has no GitHub integration configured (github.enabled), so it cannot check access or fetch SSH keys. Ask an admin.";

    @Override
    public AccessDecision authorize(UserId user) {
        return new AccessDecision.Denied(WHY);
    }

    @Override
    public AccessDecision authorizeLogin(GithubLogin login) {
        return new AccessDecision.Denied(WHY);
    }
}
