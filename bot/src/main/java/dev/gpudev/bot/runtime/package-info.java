/**
 * The running bot: the ticker that drives reminders and expiry, and the lifecycle of the parts.
 */
@NullMarked
package dev.gpudev.bot.runtime;

import org.jspecify.annotations.NullMarked;
