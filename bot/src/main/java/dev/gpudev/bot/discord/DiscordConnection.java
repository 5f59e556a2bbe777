package dev.gpudev.bot.discord;

import java.util.EnumSet;

import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.hooks.EventListener;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.ConcurrentSessionController;

/**
 * Logs in to Discord. No gateway intents at all (interactions arrive without any, and none is privileged), no member
 * or guild cache: everything the bot needs comes with the interaction or goes out by id. Event passthrough keeps the
 * raw payload so that the front-end can check the application and guild an interaction was sent for.
 */
final class DiscordConnection {
    private DiscordConnection() {
    }

    /** Blocks until READY; a wrong token fails here (JDA's {@code InvalidTokenException}), before anything is served. */
    static JDA open(DiscordSettings settings, EventListener listener) throws InterruptedException {
        JDABuilder builder = JDABuilder.createLight(settings.token(), EnumSet.noneOf(GatewayIntent.class))
                .setRestConfig(new RestConfig().setBaseUrl(settings.apiUrl()))
                .setEventPassthrough(true)
                .setEnableShutdownHook(false)
                .addEventListeners(listener);
        if (!settings.gatewayUrl().isBlank()) {
            String url = settings.gatewayUrl();
            builder.setCompression(Compression.NONE).setSessionController(new ConcurrentSessionController() {
                @Override
                public String getGateway() {
                    return url;
                }
            });
        }
        return builder.build().awaitReady();
    }
}
