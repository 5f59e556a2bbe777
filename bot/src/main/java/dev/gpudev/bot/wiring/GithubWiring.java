package dev.gpudev.bot.wiring;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import io.helidon.config.Config;

import dev.gpudev.adapters.github.GithubApp;
import dev.gpudev.adapters.github.GithubIdentity;
import dev.gpudev.adapters.github.GithubSettings;
import dev.gpudev.adapters.github.device.DeviceStart;
import dev.gpudev.adapters.github.device.LinkResult;
import dev.gpudev.adapters.github.policy.AccessPolicy;
import dev.gpudev.bot.config.BotConfig;
import dev.gpudev.bot.conversation.Linking;
import dev.gpudev.bot.conversation.Markup;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.ReservationStore;

/** {@code github.*} to the GitHub adapter, and the adapter to the chat's {@link Linking}. */
final class GithubWiring {
    private GithubWiring() {
    }

    static GithubSettings settings(Config g, Map<String, String> env) {
        AccessPolicy policy = AccessPolicy.of(
                BotConfig.strings(g.get("policy.orgs")),
                BotConfig.strings(g.get("policy.teams")),
                BotConfig.strings(g.get("policy.repos")),
                g.get("policy.match").asString().orElse("all"),
                g.get("policy.allow-anyone").asBoolean().orElse(false));
        GithubSettings d = GithubSettings.defaults(policy);
        String appId = env.getOrDefault("GITHUB_APP_ID", "");
        return new GithubSettings(
                URI.create(g.get("api-url").asString().orElse(d.apiUrl().toString())),
                URI.create(g.get("oauth-url").asString().orElse(d.oauthUrl().toString())),
                env.getOrDefault("GITHUB_TOKEN", ""),
                g.get("oauth-client-id").asString().orElse(""),
                appId.isEmpty() ? GithubApp.NONE
                        : new GithubApp(appId, env.getOrDefault("GITHUB_APP_PRIVATE_KEY", ""), g.get("app.installation-id").asLong().orElse(0L)),
                policy,
                BotConfig.duration(g, "cache.allowed-ttl", d.allowedTtl()),
                BotConfig.duration(g, "cache.denied-ttl", d.deniedTtl()),
                BotConfig.duration(g, "cache.keys-ttl", d.keysTtl()),
                BotConfig.duration(g, "request-timeout", d.requestTimeout()),
                g.get("max-key-pages").asInt().orElse(d.maxKeyPages()));
    }

    static GithubIdentity identity(Config config, Map<String, String> env, ReservationStore store, ScheduledExecutorService scheduler) {
        return GithubIdentity.create(settings(config.get("github"), env), store, scheduler);
    }

    static Linking linking(GithubIdentity github) {
        return new Linking() {
            @Override
            public void start(UserId user, Consumer<String> prompt, Consumer<String> done) {
                DeviceStart started = github.startLink(user, (who, result) -> done.accept(switch (result) {
                    case LinkResult.Linked(GithubLogin login) -> ":link: Linked to GitHub account *" + login
                            + "*. Your public SSH keys will open your servers. `/gpu whoami` shows them.";
                    case LinkResult.Denied(String reason) -> ":no_entry: Not linked: " + reason;
                    case LinkResult.Expired(String reason) -> ":hourglass: Not linked: " + reason + " Run `/gpu link` again.";
                    case LinkResult.Failed(String reason) -> ":warning: Not linked: " + reason;
                }));
                prompt.accept(switch (started) {
                    case DeviceStart.Started s -> "Open " + s.verificationUri() + " and enter the code *" + s.userCode()
                            + "* before " + Markup.time(s.expiresAt()) + ". I'll tell you here when GitHub confirms it.";
                    case DeviceStart.NotConfigured n -> n.reason();
                    case DeviceStart.Failed f -> ":warning: " + f.reason();
                });
            }

            @Override
            public String whoami(UserId user) {
                return github.whoami(user).text();
            }

            @Override
            public String adminLink(UserId user, GithubLogin login) {
                return switch (github.adminLink(user, login)) {
                    case LinkResult.Linked(GithubLogin linked) -> "Linked <@" + user + "> to GitHub account " + linked + ".";
                    case LinkResult.Denied(String reason) -> ":warning: " + reason;
                    case LinkResult.Expired(String reason) -> ":warning: " + reason;
                    case LinkResult.Failed(String reason) -> ":warning: " + reason;
                };
            }

            @Override
            public String forget(UserId user) {
                github.forget(user);
                return "Forgot the cached access and keys of <@" + user + ">; the next request asks GitHub again.";
            }
        };
    }
}
