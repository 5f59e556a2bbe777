/**
 * Discord through JDA, the optional second front-end: slash commands registered on one guild, the reserve form as a
 * modal, one DM per reservation edited in place, reminders with buttons, the queue-status message of a channel. It
 * shares the scheduler, the store and the GitHub links with Slack; its users are {@link dev.gpudev.bot.discord.DiscordUsers
 * namespaced} so that a Discord id never meets a Slack id.
 */
@NullMarked
package dev.gpudev.bot.discord;

import org.jspecify.annotations.NullMarked;
