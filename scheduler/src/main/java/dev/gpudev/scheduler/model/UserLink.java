package dev.gpudev.scheduler.model;

import java.time.Instant;

/**
 * A chat user's GitHub account. {@code githubId} is GitHub's numeric account id, which survives renames and is never
 * reused; {@code login} is the login last seen for it. {@link #UNKNOWN_ID} only in links stored before ids were kept.
 */
public record UserLink(UserId user, GithubLogin login, long githubId, boolean verified, Instant linkedAt) {
    public static final long UNKNOWN_ID = 0;

    public UserLink {
        if (githubId < 0) {
            throw new IllegalArgumentException("GitHub account ids are positive: " + githubId);
        }
    }

    public boolean idKnown() {
        return githubId != UNKNOWN_ID;
    }

    public UserLink withAccount(GithubLogin login, long githubId) {
        return new UserLink(user, login, githubId, verified, linkedAt);
    }
}
