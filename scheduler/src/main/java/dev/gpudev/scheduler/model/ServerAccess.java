package dev.gpudev.scheduler.model;

import java.net.URI;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * How the owner reaches a ready server.
 *
 * @param jupyterUrl the notebook's address with its token; on {@code localhost} when Jupyter is reached through the
 *                   SSH connection (see {@link #jupyterTunnel()})
 * @param about      what the server runs, read once when it started: GPU model, driver and CUDA version, image
 *                   (plain text; null when nothing could be read)
 */
public record ServerAccess(String host, int port, String user, @Nullable String jupyterUrl, @Nullable String about) {
    public ServerAccess {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (about != null && about.isBlank()) {
            about = null;
        }
    }

    public ServerAccess(String host, int port, String user, @Nullable String jupyterUrl) {
        this(host, port, user, jupyterUrl, null);
    }

    public ServerAccess withAbout(@Nullable String text) {
        return new ServerAccess(host, port, user, jupyterUrl, text);
    }

    public String sshCommand() {
        return port == 22 ? "ssh " + user + "@" + host : "ssh -p " + port + " " + user + "@" + host;
    }

    /** For a Jupyter on the server's localhost: the SSH command that forwards its port to the same local port. */
    public Optional<String> jupyterTunnel() {
        if (jupyterUrl == null) {
            return Optional.empty();
        }
        try {
            URI url = URI.create(jupyterUrl);
            if (!"localhost".equals(url.getHost()) || url.getPort() < 1) {
                return Optional.empty();
            }
            int p = url.getPort();
            return Optional.of("ssh -L " + p + ":localhost:" + p + sshCommand().substring("ssh".length()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The same access without the Jupyter URL, whose token must not outlive the server. */
    public ServerAccess withoutJupyter() {
        return jupyterUrl == null ? this : new ServerAccess(host, port, user, null, about);
    }
}
