package dev.gpudev.bot.runtime;

import java.util.ArrayList;
import java.util.List;

/** Closes parts in the order they were added, once; a part that fails to close is logged and the rest still close. */
public final class Shutdown implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Shutdown.class.getName());

    private record Part(String name, AutoCloseable closer) {
    }

    private final List<Part> parts = new ArrayList<>();
    private volatile boolean closed;

    public synchronized Shutdown then(String name, AutoCloseable closer) {
        parts.add(new Part(name, closer));
        return this;
    }

    /** Closing, or closed: a lost lease now is the end of the process anyway, not a reason to halt it. */
    public boolean closed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Part part : parts) {
            try {
                part.closer().close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + part.name() + ": " + e.getMessage());
            }
        }
    }
}
