package dev.gpudev.scheduler.policy;

/**
 * How a queue is ordered and how far ahead the engine reserves. {@link #GPU_DEV_BOT} is this project's policy;
 * the others exist so the trace replay can run the policies people would otherwise use through the same engine.
 */
public enum QueuePolicy {
    /** The older system: a new request starts at once if it fits; a periodic scan starts whatever fits, nothing reserved. */
    GPU_DEV("gpu-dev", 0),
    /** Strict arrival order: nothing passes a request that waits. */
    FIFO("fifo", Integer.MAX_VALUE),
    /** EASY backfill: arrival order, a reservation for the head only. */
    EASY("easy", 1),
    /** Fair share, shortest-first with ageing, reservations for the first requests, backfill around them. */
    GPU_DEV_BOT("gpu-dev-bot", 32);

    private final String label;
    private final int reservations;

    QueuePolicy(String label, int reservations) {
        this.label = label;
        this.reservations = reservations;
    }

    public String label() {
        return label;
    }

    /** How many waiting requests get a protected start time that later requests must not delay. */
    public int reservations() {
        return reservations;
    }
}
