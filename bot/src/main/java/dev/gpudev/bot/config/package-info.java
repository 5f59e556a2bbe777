/**
 * Reads the Helidon configuration into the domain's settings: the catalog, the limits, the simulated nodes.
 */
@NullMarked
package dev.gpudev.bot.config;

import org.jspecify.annotations.NullMarked;
