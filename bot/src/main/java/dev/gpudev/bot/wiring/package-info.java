/**
 * The one place that names adapter classes: builds the store, cluster, identity and notifier from config.
 */
@NullMarked
package dev.gpudev.bot.wiring;

import org.jspecify.annotations.NullMarked;
