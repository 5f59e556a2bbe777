/** Test data and recorders shared by the adapter's tests. */
@NullMarked
package dev.gpudev.adapters.kubernetes.testing;

import org.jspecify.annotations.NullMarked;
