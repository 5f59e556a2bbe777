/**
 * Block Kit views: pure functions from domain values to blocks.
 */
@NullMarked
package dev.gpudev.bot.views;

import org.jspecify.annotations.NullMarked;
