package dev.gpudev.adapters.kubernetes.lifecycle;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Whether a server's SSH port accepts a connection yet; tests replace it. */
@FunctionalInterface
public interface SshProbe {
    boolean accepts(String host, int port);

    /** A plain TCP connect, as a client's first step; the bot runs inside the cluster, so pod IPs are reachable. */
    static SshProbe tcp(Duration timeout) {
        return (host, port) -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
                return true;
            } catch (IOException e) {
                return false;
            }
        };
    }
}
