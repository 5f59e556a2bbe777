/**
 * Benchmarks: commands that print tables, run by hand or by CI, never by surefire (no class name ends in Test).
 * {@link dev.gpudev.bot.bench.AckLatencyBenchmark} measures how fast {@code /gpu reserve} is acked through the real
 * signed route, next to a bare Bolt app on the same bridge.
 */
@NullMarked
package dev.gpudev.bot.bench;

import org.jspecify.annotations.NullMarked;
