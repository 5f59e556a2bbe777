package dev.gpudev.bot.sandbox;

import java.util.List;
import java.util.Locale;

import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.SshPublicKey;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.AccessDecision;
import dev.gpudev.scheduler.port.Identity;

/** Sandbox only: everybody may reserve, as a GitHub login made from the chat id, with one demo key. */
public final class SandboxIdentity implements Identity {
    static final SshPublicKey DEMO_KEY = SshPublicKey.parse(
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl sandbox-demo-key");

    @Override
    public AccessDecision authorize(UserId user) {
        String login = user.value().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return new AccessDecision.Granted(new GithubLogin(login.isEmpty() ? "sandbox" : login), List.of(DEMO_KEY));
    }

    @Override
    public AccessDecision authorizeLogin(GithubLogin login) {
        return new AccessDecision.Granted(login, List.of(DEMO_KEY));
    }
}
