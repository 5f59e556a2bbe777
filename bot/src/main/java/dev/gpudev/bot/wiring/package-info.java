/**
 * The one place that names adapter classes: builds the store, cluster and identity from their settings, and the web
 * server and Slack parts the bot starts with.
 */
@NullMarked
package dev.gpudev.bot.wiring;

import org.jspecify.annotations.NullMarked;
