package dev.gpudev.scheduler.model;

import org.jspecify.annotations.Nullable;

/** How the owner reaches a ready server. */
public record ServerAccess(String host, int port, String user, @Nullable String jupyterUrl) {
    public ServerAccess {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public String sshCommand() {
        return port == 22 ? "ssh " + user + "@" + host : "ssh -p " + port + " " + user + "@" + host;
    }
}
