package dev.gpudev.adapters.github;

import java.net.URI;
import java.time.Duration;

import dev.gpudev.adapters.github.policy.AccessPolicy;

/**
 * How the bot talks to GitHub, built by the bot from the {@code github.*} config keys (see docs/github.md).
 * {@code token} comes from the environment only and is never printed, not even by {@link #toString()}.
 *
 * @param apiUrl        REST root: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server
 * @param oauthUrl      web root for the device flow and for links shown to users
 * @param token         the bot's token (GITHUB_TOKEN); blank with an {@code app}, or for public data only
 * @param oauthClientId the OAuth or GitHub App client id for {@code /gpu link}; blank: only admins link users
 * @param app           GitHub App credentials instead of {@code token}; {@link GithubApp#NONE} when not used
 * @param allowedTtl    how long an allowing verdict is trusted
 * @param deniedTtl     how long a refusal (or an empty key list) is trusted: short, so a fix on GitHub shows soon
 * @param keysTtl       how long a user's keys are trusted before GitHub is asked again (conditionally)
 * @param maxKeyPages   pages of 100 keys read at most per user
 */
public record GithubSettings(URI apiUrl, URI oauthUrl, String token, String oauthClientId, GithubApp app, AccessPolicy policy,
                             Duration allowedTtl, Duration deniedTtl, Duration keysTtl, Duration requestTimeout, int maxKeyPages) {
    public static final URI API_URL = URI.create("https://api.github.com");
    public static final URI OAUTH_URL = URI.create("https://github.com");

    public GithubSettings {
        for (URI u : new URI[] {apiUrl, oauthUrl}) {
            if ((!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException("github URLs must be http(s)://host/...: " + u);
            }
        }
        token = token.strip();
        oauthClientId = oauthClientId.strip();
        if (!token.isEmpty() && app.configured()) {
            throw new IllegalArgumentException("configure either GITHUB_TOKEN or a GitHub App, not both");
        }
        for (Duration d : new Duration[] {allowedTtl, deniedTtl, keysTtl, requestTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("github durations must be positive: " + d);
            }
        }
        if (deniedTtl.compareTo(allowedTtl) > 0) {
            throw new IllegalArgumentException("github.cache.denied-ttl should not be longer than allowed-ttl");
        }
        if (maxKeyPages < 1) {
            throw new IllegalArgumentException("github.max-key-pages must be at least 1");
        }
    }

    /** The documented defaults with the given policy (there is no default policy: see {@link AccessPolicy}). */
    public static GithubSettings defaults(AccessPolicy policy) {
        return new GithubSettings(API_URL, OAUTH_URL, "", "", GithubApp.NONE, policy,
                Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofSeconds(10), 10);
    }

    public GithubSettings withUrls(URI api, URI oauth) {
        return new GithubSettings(api, oauth, token, oauthClientId, app, policy, allowedTtl, deniedTtl, keysTtl, requestTimeout, maxKeyPages);
    }

    public GithubSettings withToken(String newToken) {
        return new GithubSettings(apiUrl, oauthUrl, newToken, oauthClientId, app, policy, allowedTtl, deniedTtl, keysTtl, requestTimeout, maxKeyPages);
    }

    public GithubSettings withOauthClientId(String clientId) {
        return new GithubSettings(apiUrl, oauthUrl, token, clientId, app, policy, allowedTtl, deniedTtl, keysTtl, requestTimeout, maxKeyPages);
    }

    public boolean deviceFlowEnabled() {
        return !oauthClientId.isEmpty();
    }

    @Override
    public String toString() {
        return "GithubSettings[apiUrl=" + apiUrl + ", oauthUrl=" + oauthUrl + ", token=" + (token.isEmpty() ? "none" : "***")
                + ", oauthClientId=" + oauthClientId + ", app=" + app + ", policy=" + policy + ", allowedTtl=" + allowedTtl
                + ", deniedTtl=" + deniedTtl + ", keysTtl=" + keysTtl + ", requestTimeout=" + requestTimeout + ", maxKeyPages=" + maxKeyPages + "]";
    }
}
