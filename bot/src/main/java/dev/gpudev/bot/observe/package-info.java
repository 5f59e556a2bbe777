/**
 * Health checks and metrics.
 */
@NullMarked
package dev.gpudev.bot.observe;

import org.jspecify.annotations.NullMarked;
