/**
 * The pure scheduling engine: {@code decide(state, now, event) -> (state', effects)}.
 */
@NullMarked
package dev.gpudev.scheduler.engine;

import org.jspecify.annotations.NullMarked;
