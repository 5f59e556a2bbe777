/**
 * The running bot: the ticker that drives reminders and expiry, the lifecycle of the parts, and the executors
 * ({@link dev.gpudev.bot.runtime.Threads}) and rate limit ({@link dev.gpudev.bot.runtime.Debounce}) they share.
 */
@NullMarked
package dev.gpudev.bot.runtime;

import org.jspecify.annotations.NullMarked;
