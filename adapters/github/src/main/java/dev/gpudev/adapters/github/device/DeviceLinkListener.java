package dev.gpudev.adapters.github.device;

import dev.gpudev.scheduler.model.UserId;

/** Hears once how each started device flow ended. Called on the poller's thread: return quickly. */
@FunctionalInterface
public interface DeviceLinkListener {
    void finished(UserId user, LinkResult result);
}
