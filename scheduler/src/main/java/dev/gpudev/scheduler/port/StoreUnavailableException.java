package dev.gpudev.scheduler.port;

/** The store could not be reached or kept failing after retries; nothing was written. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
