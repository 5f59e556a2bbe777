package dev.gpudev.bot.config;

import java.time.Duration;
import java.util.Optional;

import io.helidon.config.Config;

/**
 * The {@code leader-election} subtree. Election is always on with {@code cluster.kind: kubernetes}; {@code enabled}
 * is read only by {@link Mode} (as a sign of a production set-up), so it has no default.
 *
 * @param namespace the Lease's namespace; empty: the pod's own ({@code POD_NAMESPACE}), else the servers'
 */
public record LeaderSettings(Optional<String> namespace, String leaseName, Duration leaseDuration, Optional<Boolean> enabled) {
    public static LeaderSettings create(Config election) {
        return new LeaderSettings(BotConfig.text(election.get("namespace")), election.get("lease-name").asString().get(),
                election.get("lease-duration").as(Duration.class).get(), election.get("enabled").asBoolean().asOptional());
    }
}
