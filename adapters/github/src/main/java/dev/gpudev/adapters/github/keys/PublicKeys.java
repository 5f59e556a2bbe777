package dev.gpudev.adapters.github.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

import dev.gpudev.adapters.github.api.GithubApi;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.SshPublicKey;

/** A user's public SSH keys from {@code GET /users/{login}/keys}: every type OpenSSH accepts, all pages. */
public final class PublicKeys {
    private static final System.Logger LOG = System.getLogger(PublicKeys.class.getName());

    private final GithubApi api;
    private final int maxPages;

    public PublicKeys(GithubApi api, int maxPages) {
        this.api = api;
        this.maxPages = maxPages;
    }

    /** The keys, each commented with the login; empty when GitHub has no such user. */
    public Optional<List<SshPublicKey>> of(GithubLogin login) {
        return api.list("/users/" + login.value() + "/keys?per_page=100", maxPages).map(items -> parse(login, items));
    }

    static List<SshPublicKey> parse(GithubLogin login, List<JsonNode> items) {
        List<SshPublicKey> keys = new ArrayList<>();
        for (JsonNode item : items) {
            String line = item.path("key").asString("");
            try {
                SshPublicKey key = SshPublicKey.parse(line);
                // a blob sshd would refuse (malformed, or another type inside than its label) is dropped here, visibly
                KeyFingerprint.of(key);
                keys.add(new SshPublicKey(key.type(), key.base64(), login.value() + "@github"));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "skipping GitHub key " + item.path("id").asLong(0) + " of " + login + ": " + e.getMessage());
            }
        }
        return List.copyOf(keys);
    }
}
