package dev.gpudev.bot.conversation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.app.Servers;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ServerAccess;

/**
 * The {@code ~/.ssh/config} block of {@code /gpu ssh-config}: one {@code Host} per ready server (its id, and its
 * {@code --name} as a second alias), and for a multi-node server one per further rank, reached through rank 0 with
 * {@code ProxyJump} (only rank 0 has an address outside the cluster). Pure.
 */
public final class SshConfigFile {
    public static final String FILENAME = "gpu-dev-ssh-config";
    /** A value ssh reads as one token: anything with blanks, quotes or control characters is left out, never written. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:\\[\\]-]{1,253}");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private SshConfigFile() {
    }

    public static String of(List<Servers.Server> servers, Instant now) {
        StringBuilder b = new StringBuilder("""
                # gpu-dev: your ready servers as of %s. Save as ~/.ssh/config.d/gpu-dev and add
                # `Include config.d/gpu-dev` at the top of ~/.ssh/config (or paste this at its end); then `ssh <id>`.
                # Every server has new host keys: they are kept apart in ~/.ssh/known_hosts.gpu-dev, under each
                # server's id (HostKeyAlias), so a later server on the same address and port is no key mismatch.
                """.formatted(WHEN.format(now)));
        for (Servers.Server s : servers) {
            Reservation r = s.reservation();
            ServerAccess a = r.access();
            if (a == null || !TOKEN.matcher(a.host()).matches() || !TOKEN.matcher(a.user()).matches()) {
                continue;
            }
            String name = r.options().name();
            String aliases = r.id().value() + (name != null && TOKEN.matcher(name).matches() && !name.equals(r.id().value()) ? " " + name : "");
            b.append('\n').append("# ").append(r.id()).append(": ").append(r.gpus()).append(" x ").append(r.gpuType())
                    .append(r.endsAt() == null ? "" : ", until " + WHEN.format(r.endsAt())).append('\n');
            host(b, aliases, r.id().value(), a.host(), a.port(), a.user(), null);
            for (int rank = 1; rank <= s.rankHosts().size(); rank++) {
                String peer = s.rankHosts().get(rank - 1);
                if (TOKEN.matcher(peer).matches()) {
                    host(b, r.id().value() + "-rank" + rank, r.id().value() + "-rank" + rank, peer, 22, a.user(), r.id().value());
                }
            }
        }
        return b.toString();
    }

    private static void host(StringBuilder b, String aliases, String keyAlias, String host, int port, String user, @Nullable String jump) {
        b.append("Host ").append(aliases).append('\n')
                .append("  HostName ").append(host).append('\n')
                .append("  Port ").append(port).append('\n')
                .append("  User ").append(user).append('\n');
        if (jump != null) {
            b.append("  ProxyJump ").append(jump).append('\n');
        }
        b.append("  HostKeyAlias ").append(keyAlias).append('\n')
                .append("  StrictHostKeyChecking accept-new\n")
                .append("  UserKnownHostsFile ~/.ssh/known_hosts.gpu-dev\n");
    }
}
