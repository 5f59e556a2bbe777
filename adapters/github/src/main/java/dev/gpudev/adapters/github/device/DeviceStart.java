package dev.gpudev.adapters.github.device;

import java.time.Instant;

/** The answer to {@code /gpu link}: what to show the user now. The outcome comes later, to the listener. */
public sealed interface DeviceStart {
    /** Show: "open {@code verificationUri} and enter {@code userCode} before {@code expiresAt}". */
    record Started(String verificationUri, String userCode, Instant expiresAt) implements DeviceStart {
    }

    /** No OAuth client id is configured: {@code reason} says to ask an admin. */
    record NotConfigured(String reason) implements DeviceStart {
    }

    record Failed(String reason) implements DeviceStart {
    }
}
