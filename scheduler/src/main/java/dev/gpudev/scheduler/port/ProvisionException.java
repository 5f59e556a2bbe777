package dev.gpudev.scheduler.port;

import org.jspecify.annotations.Nullable;

/**
 * Why {@link Cluster#provision} could not start a server. A {@link Transient} failure (an API that is briefly
 * unavailable, overloaded or unreachable) is retried by the service until the provision timeout; a {@link Permanent}
 * one (a request the cluster refuses as it stands) fails the reservation at once. {@link #reason()} is for the user.
 */
public abstract sealed class ProvisionException extends RuntimeException {
    private final String reason;

    private ProvisionException(String reason, @Nullable Throwable cause) {
        super(reason, cause);
        this.reason = reason;
    }

    public static ProvisionException retryable(String reason, @Nullable Throwable cause) {
        return new Transient(reason, cause);
    }

    public static ProvisionException permanent(String reason, @Nullable Throwable cause) {
        return new Permanent(reason, cause);
    }

    public String reason() {
        return reason;
    }

    public static final class Transient extends ProvisionException {
        Transient(String reason, @Nullable Throwable cause) {
            super(reason, cause);
        }
    }

    public static final class Permanent extends ProvisionException {
        Permanent(String reason, @Nullable Throwable cause) {
            super(reason, cause);
        }
    }
}
