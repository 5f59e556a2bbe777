/**
 * The scheduler at work over the ports. {@link dev.gpudev.scheduler.service.ReservationService} holds the lock and the
 * lifecycle (start, reload, tick) and the reserve use case; its pieces: {@code Commit} (decide, persist, adopt),
 * {@code EffectRunner} (effects on their own executor), {@code Repair} (rebuild from the store and the cluster),
 * {@code Actions} (cancel, extend), {@code Lookups}, {@code Claims} (idempotency), {@code ClusterEvents},
 * {@code ReservationIds}. Front-ends use {@code dev.gpudev.scheduler.app}, not this package.
 */
@NullMarked
package dev.gpudev.scheduler.service;

import org.jspecify.annotations.NullMarked;
