/**
 * The durable {@link dev.gpudev.scheduler.port.ReservationStore} on DynamoDB (AWS SDK v2, URL-connection HTTP client).
 * Every write is a single-item conditional write, so the store runs the same on DynamoDB, LocalStack and dynalite
 * (which has no transactions): a reservation, a multi-node one included, is one item with a version attribute.
 */
@NullMarked
package dev.gpudev.adapters.aws;

import org.jspecify.annotations.NullMarked;
