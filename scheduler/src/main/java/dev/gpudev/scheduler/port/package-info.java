/**
 * Small interfaces in domain terms that the adapters implement: store, cluster, identity, notifier.
 */
@NullMarked
package dev.gpudev.scheduler.port;

import org.jspecify.annotations.NullMarked;
