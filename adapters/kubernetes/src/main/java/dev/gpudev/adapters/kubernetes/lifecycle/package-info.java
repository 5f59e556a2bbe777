/** Provisioning, readiness, progress, release, reconcile and in-server messages, driven by informers. */
@NullMarked
package dev.gpudev.adapters.kubernetes.lifecycle;

import org.jspecify.annotations.NullMarked;
