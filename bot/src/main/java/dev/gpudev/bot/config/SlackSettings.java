package dev.gpudev.bot.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.helidon.config.Config;

/**
 * The {@code slack} subtree (the tokens and the signing secret come from the environment, see {@link Mode}).
 *
 * @param apiUrl            the Web API root, for a local fake Slack; empty: Slack itself (the sandbox: its own)
 * @param queueChannel      the channel of the live queue-status message; empty: none
 * @param admins            Slack user ids allowed to run {@code /gpu admin} and act on any reservation
 * @param statusMinInterval the queue-status message is edited at most this often
 * @param afterAck          the pool that does the work after an ack (docs/conversation.md)
 */
public record SlackSettings(String path, String command, Optional<String> apiUrl, Optional<String> queueChannel,
                            List<String> admins, Duration statusMinInterval, Delivery delivery, AfterAck afterAck) {
    /** A DM is tried {@code attempts} times, waiting {@code backoff × 2ⁿ} (or Slack's Retry-After) between tries. */
    public record Delivery(int attempts, Duration backoff) {
        public static Delivery create(Config delivery) {
            return new Delivery(delivery.get("attempts").asInt().get(), delivery.get("backoff").as(Duration.class).get());
        }
    }

    /** {@code threads} 0: one fewer than the cores, at least one; a full {@code queue} refuses in the ack. */
    public record AfterAck(int threads, int queue) {
        public static AfterAck create(Config afterAck) {
            int threads = afterAck.get("threads").asInt().get();
            return new AfterAck(threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() - 1),
                    afterAck.get("queue").asInt().get());
        }
    }

    public SlackSettings {
        admins = List.copyOf(admins);
    }

    public static SlackSettings create(Config slack) {
        return new SlackSettings(slack.get("path").asString().get(), slack.get("command").asString().get(),
                BotConfig.text(slack.get("api-url")), BotConfig.text(slack.get("queue-channel")),
                BotConfig.strings(slack.get("admins")), slack.get("status-min-interval").as(Duration.class).get(),
                slack.get("delivery").as(Delivery::create).get(), slack.get("after-ack").as(AfterAck::create).get());
    }
}
