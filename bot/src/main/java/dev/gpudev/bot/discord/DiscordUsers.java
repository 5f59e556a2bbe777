package dev.gpudev.bot.discord;

import java.util.Optional;

import dev.gpudev.scheduler.model.UserId;

/**
 * Discord users in the store: {@code discord:<snowflake>}. Slack ids ({@code U…}, {@code W…}) never contain a colon and
 * sandbox names are plain words, so the two platforms' users cannot collide, and a notice finds its platform by its
 * owner.
 */
public final class DiscordUsers {
    public static final String PREFIX = "discord:";

    private DiscordUsers() {
    }

    public static UserId user(long snowflake) {
        return new UserId(PREFIX + Long.toUnsignedString(snowflake));
    }

    public static boolean isDiscord(UserId user) {
        return user.value().startsWith(PREFIX);
    }

    /** The Discord id of a Discord user; empty for anyone else. */
    public static Optional<Long> snowflake(UserId user) {
        if (!isDiscord(user)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseUnsignedLong(user.value().substring(PREFIX.length())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
