package dev.gpudev.adapters.kubernetes;

/**
 * Who reaches a server, and how the servers of one reservation reach each other ({@code cluster.kubernetes.*},
 * docs/kubernetes.md "Network").
 *
 * @param jupyterExposed  Jupyter listens on every address and its Service publishes the port; false (the default):
 *                        Jupyter listens on 127.0.0.1 only and is reached through the SSH connection ({@code ssh -L})
 * @param peerPolicy      each multi-node reservation gets a NetworkPolicy {@code gpu-dev-peers-<id>} that lets its pods
 *                        reach each other; needs RBAC on networkpolicies in the servers' namespace
 * @param peerPortsFirst  first port of the range the pods of a reservation may open to each other besides SSH and the
 *                        rendezvous port: NCCL's bootstrap and socket transport, Gloo and MPI listen on ephemeral ports
 * @param peerPortsLast   last port of that range (the kernel's default {@code ip_local_port_range} is 32768-60999)
 */
public record ServerNetwork(boolean jupyterExposed, boolean peerPolicy, int peerPortsFirst, int peerPortsLast) {
    public static final ServerNetwork DEFAULTS = new ServerNetwork(false, true, 32768, 60999);

    public ServerNetwork {
        if (peerPortsFirst < 1 || peerPortsLast > 65535 || peerPortsFirst > peerPortsLast) {
            throw new IllegalArgumentException("cluster.kubernetes.peer-ports must be a range like 32768-60999 within 1-65535: "
                    + peerPortsFirst + "-" + peerPortsLast);
        }
    }

    /** Reads {@code 32768-60999} (or one port). */
    public ServerNetwork withPeerPorts(String range) {
        String[] parts = range.strip().split("\\s*-\\s*", -1);
        try {
            int first = Integer.parseInt(parts[0]);
            int last = parts.length == 1 ? first : Integer.parseInt(parts[1]);
            if (parts.length > 2) {
                throw new NumberFormatException(range);
            }
            return new ServerNetwork(jupyterExposed, peerPolicy, first, last);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cluster.kubernetes.peer-ports must be a range like 32768-60999: " + range);
        }
    }

    public ServerNetwork withJupyterExposed(boolean v) {
        return new ServerNetwork(v, peerPolicy, peerPortsFirst, peerPortsLast);
    }

    public ServerNetwork withPeerPolicy(boolean v) {
        return new ServerNetwork(jupyterExposed, v, peerPortsFirst, peerPortsLast);
    }
}
