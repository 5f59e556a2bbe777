/**
 * Trace replay and benchmarks: the same engine on a simulated clock and cluster.
 */
@NullMarked
package dev.gpudev.scheduler.sim;

import org.jspecify.annotations.NullMarked;
