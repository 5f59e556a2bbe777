package dev.gpudev.scheduler.model;

import java.time.Instant;

/** A chat user's verified GitHub account. */
public record UserLink(UserId user, GithubLogin login, boolean verified, Instant linkedAt) {
}
