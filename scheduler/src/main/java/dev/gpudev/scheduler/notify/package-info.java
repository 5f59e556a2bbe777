/** "Tell me when it's free" ({@code /gpu notify}): when a subscription's request would start at once. */
@NullMarked
package dev.gpudev.scheduler.notify;

import org.jspecify.annotations.NullMarked;
