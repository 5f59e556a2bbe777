package dev.gpudev.bot.config;

import io.helidon.config.Config;

import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.policy.Limits;

/** What the bot itself reads, each part from its own subtree; the adapters' subtrees are read by the wiring. */
public record BotSettings(ServerSettings server, SlackSettings slack, ClusterSettings cluster, SimulatedSettings simulated,
                          LeaderSettings leaderElection, RuntimeSettings runtime, SandboxSettings sandbox, String storeKind,
                          GpuCatalog catalog, Limits limits) {
    public static BotSettings create(Config config) {
        return new BotSettings(
                config.get("server").as(ServerSettings::create).get(),
                config.get("slack").as(SlackSettings::create).get(),
                config.get("cluster").as(ClusterSettings::create).get(),
                config.get("cluster.simulated").as(SimulatedSettings::create).get(),
                config.get("leader-election").as(LeaderSettings::create).get(),
                config.get("runtime").as(RuntimeSettings::create).get(),
                config.get("sandbox").as(SandboxSettings::create).get(),
                config.get("store.kind").asString().get(),
                BotConfig.catalog(config),
                BotConfig.limits(config));
    }
}
