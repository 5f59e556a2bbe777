/**
 * Rules without state: validation of requests, placement on nodes, queue order, extension rules.
 */
@NullMarked
package dev.gpudev.scheduler.policy;

import org.jspecify.annotations.NullMarked;
