/** Leader election on a Kubernetes Lease, so that only one bot replica schedules and provisions. */
@NullMarked
package dev.gpudev.adapters.kubernetes.leader;

import org.jspecify.annotations.NullMarked;
