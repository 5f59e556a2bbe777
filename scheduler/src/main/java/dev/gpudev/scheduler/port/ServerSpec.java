package dev.gpudev.scheduler.port;

import java.util.List;

import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.SshPublicKey;

/** Everything the cluster needs to start a reservation's server: the reservation and the keys that open it. */
public record ServerSpec(Reservation reservation, GithubLogin ownerLogin, List<SshPublicKey> authorizedKeys) {
    public ServerSpec {
        authorizedKeys = List.copyOf(authorizedKeys);
        if (authorizedKeys.isEmpty()) {
            throw new IllegalArgumentException("a server needs at least one SSH key");
        }
    }
}
