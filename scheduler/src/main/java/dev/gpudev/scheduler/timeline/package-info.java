/**
 * Reminders, expiry and queue ETAs as functions of the reservations and the current instant.
 */
@NullMarked
package dev.gpudev.scheduler.timeline;

import org.jspecify.annotations.NullMarked;
