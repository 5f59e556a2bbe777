package dev.gpudev.scheduler.port;

/**
 * A write was refused because a newer leadership term was taken: another replica leads now. Nothing was written, and
 * the writer must stop leading; never retry it as a lost race. A subclass of {@link StoreUnavailableException} so that
 * every caller that answers "nothing was changed, try again shortly" answers that here too.
 */
public final class StoreFencedException extends StoreUnavailableException {
    public StoreFencedException(String message) {
        super(message, null);
    }
}
