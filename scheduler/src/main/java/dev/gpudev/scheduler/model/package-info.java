/**
 * Domain values: typed ids, the GPU-type catalog, requests, reservations and their states, and the cluster as the scheduler sees it.
 */
@NullMarked
package dev.gpudev.scheduler.model;

import org.jspecify.annotations.NullMarked;
