package dev.gpudev.adapters.kubernetes.server;

import java.util.List;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * The security context of every server: admitted by Pod Security {@code baseline}, with only what the bootstrap and sshd
 * need (docs/kubernetes.md, "Security of the servers"). The bootstrap and sshd run as root inside the container; users
 * log in as the unprivileged {@code ssh-user}, without sudo. EFA's locked memory comes from the node's memlock limit, not
 * from {@code IPC_LOCK}, which baseline forbids.
 */
public final class ServerSecurity {
    /** Capabilities kept after dropping ALL, each needed by the bootstrap or sshd. */
    public static final List<String> CAPABILITIES = List.of(
            "AUDIT_WRITE",      // sshd (PAM) writes a login audit record; without it logins fail on audit-enabled kernels
            "CHOWN",            // the bootstrap gives the home directory and /workspace to the user; sshd chowns the pty
            "FOWNER",           // sshd chmods the pty it gave to the user
            "KILL",             // sshd's root monitor signals its session processes that run as the user
            "NET_BIND_SERVICE", // sshd listens on port 22
            "SETGID",           // sshd, runuser (Jupyter) and apt's sandbox switch to the user's group
            "SETUID",           // ... and user
            "SYS_CHROOT");      // sshd's privilege separation chroots its pre-auth child to /run/sshd

    private ServerSecurity() {
    }

    public static PodSecurityContext pod() {
        return new PodSecurityContextBuilder().withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build();
    }

    /**
     * No privilege escalation: setuid binaries (sudo, su) cannot raise privileges, which root processes switching down
     * (sshd, runuser) do not need.
     */
    public static SecurityContext container() {
        return new SecurityContextBuilder()
                .withPrivileged(false)
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").withAdd(CAPABILITIES).endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }
}
