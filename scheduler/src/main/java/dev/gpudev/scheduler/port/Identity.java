package dev.gpudev.scheduler.port;

import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.UserId;

/** Who a chat user is on GitHub, whether the access policy lets them reserve, and their public keys. Fails closed. */
public interface Identity {
    AccessDecision authorize(UserId user);

    /** The same check for a collaborator named by login. */
    AccessDecision authorizeLogin(GithubLogin login);
}
