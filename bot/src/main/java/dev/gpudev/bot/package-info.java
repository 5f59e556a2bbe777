/**
 * The gpu-dev-bot application: {@link dev.gpudev.bot.Main} starts a {@link dev.gpudev.bot.Bot}.
 */
@NullMarked
package dev.gpudev.bot;

import org.jspecify.annotations.NullMarked;
