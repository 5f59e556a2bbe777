package dev.gpudev.scheduler.port;

import dev.gpudev.scheduler.model.Notice;

/** Tells a user what happened to their reservation. A front-end renders notices as messages it updates in place. */
public interface Notifier {
    void notify(Notice notice);
}
