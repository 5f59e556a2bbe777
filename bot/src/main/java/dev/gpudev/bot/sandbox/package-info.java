/**
 * Sandbox mode: a simulated cluster, a scaled clock, and an in-process Slack workspace printed on the console.
 */
@NullMarked
package dev.gpudev.bot.sandbox;

import org.jspecify.annotations.NullMarked;
