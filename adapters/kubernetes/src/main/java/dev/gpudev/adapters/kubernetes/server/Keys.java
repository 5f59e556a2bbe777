package dev.gpudev.adapters.kubernetes.server;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.SshPublicKey;

/**
 * The SSH keys of a running server, changed by {@code /gpu edit}: the server's Secret gets the new
 * {@code authorized_keys}; the kubelet updates the Secret volume of every rank in place (its sync period, about a
 * minute), and the bootstrap's key sync copies it for sshd within {@link Bootstrap#KEY_SYNC_SECONDS}. No restart.
 */
public final class Keys {
    private Keys() {
    }

    /** Replaces {@code authorized_keys} in the Secret, keeping the Jupyter token; 404 when the server is gone. */
    public static void replace(KubernetesClient client, String namespace, ReservationId id, List<SshPublicKey> keys) {
        String encoded = Base64.getEncoder().encodeToString(ServerObjects.authorizedKeys(keys).getBytes(StandardCharsets.UTF_8));
        client.secrets().inNamespace(namespace).withName(Labels.serverName(id)).edit(s -> {
            Map<String, String> data = new LinkedHashMap<>(s.getData() == null ? Map.of() : s.getData());
            data.put(ServerObjects.KEYS, encoded);
            // stringData wins over data when written: a copy that still holds the old keys must not come back
            Map<String, String> plain = s.getStringData() == null ? null : new LinkedHashMap<>(s.getStringData());
            if (plain != null) {
                plain.remove(ServerObjects.KEYS);
            }
            return new SecretBuilder(s).withData(data).withStringData(plain == null || plain.isEmpty() ? null : plain).build();
        });
    }

    /** The {@code authorized_keys} a Secret holds, as written or as read back; empty if none. */
    public static String of(Secret secret) {
        if (secret.getStringData() != null && secret.getStringData().get(ServerObjects.KEYS) != null) {
            return secret.getStringData().get(ServerObjects.KEYS);
        }
        if (secret.getData() != null && secret.getData().get(ServerObjects.KEYS) != null) {
            return new String(Base64.getDecoder().decode(secret.getData().get(ServerObjects.KEYS)), StandardCharsets.UTF_8);
        }
        return "";
    }
}
