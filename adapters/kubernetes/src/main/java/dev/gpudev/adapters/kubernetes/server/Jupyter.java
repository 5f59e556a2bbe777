package dev.gpudev.adapters.kubernetes.server;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;

import dev.gpudev.adapters.kubernetes.KubernetesSettings;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.port.ProvisionException;

/**
 * Jupyter turned on or off in a running server ({@code /gpu edit --jupyter on|off}). The desired state is the token in
 * the server's Secret: present means on. The kubelet updates the projected token file of every rank in place, and the
 * bootstrap's sync ({@link Bootstrap#JUPYTER_SYNC}) starts or stops Jupyter within {@link Bootstrap#KEY_SYNC_SECONDS}.
 * An exposed Jupyter's port is added to or removed from the Service. No pod is restarted.
 */
public final class Jupyter {
    /** On pods whose bootstrap follows the token: servers started by an older version (or a custom command) cannot switch. */
    public static final String SWITCHABLE = "gpu-dev/jupyter-switch";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Jupyter() {
    }

    /** A new random token (48 hex digits). */
    public static String newToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Writes the desired state; returns the token now in the Secret (an existing one is kept, so a repeated "on"
     * restarts nothing), empty when off.
     *
     * @throws ProvisionException (permanent) when the server is gone or cannot switch
     */
    public static String turn(KubernetesClient client, KubernetesSettings s, Reservation r, boolean on) {
        String ns = s.namespace();
        Pod rank0 = client.pods().inNamespace(ns).withName(Labels.podName(r.id(), 0)).get();
        if (rank0 == null) {
            throw ProvisionException.permanent("the server of " + r.id() + " is gone", null);
        }
        Map<String, String> annotations = rank0.getMetadata().getAnnotations();
        if (annotations == null || !"true".equals(annotations.get(SWITCHABLE))) {
            throw ProvisionException.permanent(!s.command().isEmpty()
                    ? "this cluster's servers run their own command (cluster.kubernetes.command), which does not switch Jupyter"
                    : "this server was started by an older version of the bot, which cannot switch Jupyter while it runs;"
                    + " reserve again with `--jupyter`", null);
        }
        String[] token = {""};
        client.secrets().inNamespace(ns).withName(Labels.serverName(r.id())).edit(secret -> {
            Map<String, String> data = new LinkedHashMap<>(secret.getData() == null ? Map.of() : secret.getData());
            Map<String, String> plain = secret.getStringData() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(secret.getStringData());
            String was = ServerObjects.jupyterToken(secret);
            plain.remove(ServerObjects.JUPYTER_TOKEN);
            data.remove(ServerObjects.JUPYTER_TOKEN);
            if (on) {
                token[0] = was.isEmpty() ? newToken() : was;
                data.put(ServerObjects.JUPYTER_TOKEN, Base64.getEncoder().encodeToString(token[0].getBytes(StandardCharsets.UTF_8)));
            }
            return new SecretBuilder(secret).withData(data).withStringData(plain.isEmpty() ? null : plain).build();
        });
        if (s.network().jupyterExposed()) {
            client.services().inNamespace(ns).withName(Labels.serverName(r.id())).edit(service -> {
                List<ServicePort> ports = new ArrayList<>(service.getSpec().getPorts());
                boolean published = ports.stream().anyMatch(p -> "jupyter".equals(p.getName()));
                if (on && !published) {
                    ports.add(ServerObjects.jupyterPort(s));
                } else if (!on) {
                    ports.removeIf(p -> "jupyter".equals(p.getName()));
                }
                // an unchanged port keeps its node port, so a repeated "on" keeps the URL
                return new ServiceBuilder(service).editSpec().withPorts(ports).endSpec().build();
            });
        }
        return token[0];
    }
}
