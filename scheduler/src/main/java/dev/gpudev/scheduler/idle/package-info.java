/**
 * Idle GPUs, as pure code: a reservation's activity over a sliding window of telemetry samples, the rule "idle below X %
 * for Y minutes" per GPU type with exemptions, and the ask, keep, release or reclaim decision as a state machine driven
 * by a clock. Unknown telemetry never counts as idle. See docs/idle.md.
 */
@NullMarked
package dev.gpudev.scheduler.idle;

import org.jspecify.annotations.NullMarked;
