package dev.gpudev.bot.config;

import io.helidon.config.Config;

/**
 * The {@code server} subtree: the HTTP listener.
 *
 * @param maxPayloadSize bytes; a larger request body gets 413 on every route before it is read (a declared
 *                       Content-Length at once, a chunked body when it grows past the cap)
 */
public record ServerSettings(String host, int port, long maxPayloadSize) {
    public ServerSettings {
        if (maxPayloadSize <= 0) {
            throw new IllegalArgumentException("server.max-payload-size must be a positive number of bytes, not " + maxPayloadSize
                    + "; Slack's requests are a few KiB, so the default in application.yaml is plenty");
        }
    }

    public static ServerSettings create(Config server) {
        return new ServerSettings(server.get("host").asString().get(), server.get("port").asInt().get(),
                server.get("max-payload-size").asLong().get());
    }
}
