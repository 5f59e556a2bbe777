package dev.gpudev.scheduler.port;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.SshPublicKey;

/**
 * Everything the cluster needs to start a reservation's server: the reservation, the keys that open it and the named
 * disk it mounts ({@code --disk}; null: only the home).
 */
public record ServerSpec(Reservation reservation, GithubLogin ownerLogin, List<SshPublicKey> authorizedKeys,
                         @Nullable DiskName disk) {
    public ServerSpec {
        authorizedKeys = List.copyOf(authorizedKeys);
        if (authorizedKeys.isEmpty()) {
            throw new IllegalArgumentException("a server needs at least one SSH key");
        }
        if (disk != null && disk.isHome()) {
            throw new IllegalArgumentException("the home is always mounted; --disk names another disk");
        }
    }

    public ServerSpec(Reservation reservation, GithubLogin ownerLogin, List<SshPublicKey> authorizedKeys) {
        this(reservation, ownerLogin, authorizedKeys, null);
    }
}
