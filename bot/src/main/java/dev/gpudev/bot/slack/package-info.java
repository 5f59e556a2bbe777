/**
 * Slack: Bolt bridged into Helidon routing, command and action handlers, the notifier that updates DMs in place.
 */
@NullMarked
package dev.gpudev.bot.slack;

import org.jspecify.annotations.NullMarked;
