/** The GPU nodes as the scheduler sees them: capacity, GPUs used by others, schedulability, zone and placement group. */
@NullMarked
package dev.gpudev.adapters.kubernetes.capacity;

import org.jspecify.annotations.NullMarked;
