/**
 * Reads the Helidon configuration into the domain's settings: the catalog, the limits, the simulated nodes; and
 * decides the mode (sandbox or production) the bot may start in.
 */
@NullMarked
package dev.gpudev.bot.config;

import org.jspecify.annotations.NullMarked;
