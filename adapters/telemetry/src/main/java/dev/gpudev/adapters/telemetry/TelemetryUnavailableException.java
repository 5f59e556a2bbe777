package dev.gpudev.adapters.telemetry;

/** The metrics source could not be read or answered something that is not the documented format. */
public final class TelemetryUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TelemetryUnavailableException(String message) {
        super(message);
    }

    public TelemetryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
