package dev.gpudev.scheduler.model;

import java.time.Duration;

/** A request that passed validation: a known type, a count its nodes can hold, a duration within limits. */
public record ReservationRequest(UserId owner, String gpuType, int gpus, Duration duration, RequestOptions options) {
}
