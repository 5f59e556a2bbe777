/**
 * The {@link dev.gpudev.scheduler.port.Cluster} port on a real Kubernetes cluster (fabric8): informers turn the GPU
 * nodes and the pods on them into snapshots, reservations become a Pod (one per node), Services and a Secret built by
 * pure functions, and a Lease elects the one bot replica that schedules.
 */
@NullMarked
package dev.gpudev.adapters.kubernetes;

import org.jspecify.annotations.NullMarked;
