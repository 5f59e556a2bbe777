/**
 * Pictures the bot sends as files: the occupancy timeline and the usage chart, drawn with Java2D into PNG bytes
 * (headless: no display, no AWT toolkit window). The models here are plain values; the conversation builds them from
 * the board and the usage report. See docs/usage.md.
 */
@NullMarked
package dev.gpudev.bot.pictures;

import org.jspecify.annotations.NullMarked;
