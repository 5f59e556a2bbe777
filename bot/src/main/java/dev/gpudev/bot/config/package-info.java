/**
 * Reads the Helidon configuration: each part of the bot gets a settings record read from its own subtree
 * ({@link dev.gpudev.bot.config.BotSettings}), with the defaults of the embedded {@code application.yaml}; the catalog
 * and limits over the scheduler's defaults; and decides the mode (sandbox or production) the bot may start in.
 */
@NullMarked
package dev.gpudev.bot.config;

import org.jspecify.annotations.NullMarked;
