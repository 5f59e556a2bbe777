/**
 * Reminder and delivery rules, in one place: when a reminder is due and what it says ({@link
 * dev.gpudev.scheduler.delivery.Reminders}), what a confirmed delivery records and what the owner is still owed
 * ({@link dev.gpudev.scheduler.delivery.Ledger}), which notices are on their way and must not be issued again meanwhile
 * ({@link dev.gpudev.scheduler.delivery.InFlight}), and, for the front-ends, which notice a newer one overtook ({@link
 * dev.gpudev.scheduler.delivery.LatestNotices}) and which reminder was already echoed into the server ({@link
 * dev.gpudev.scheduler.delivery.Echoes}). The engine records deliveries through {@code Event.Delivered}; nothing else
 * writes a reservation.
 */
@NullMarked
package dev.gpudev.scheduler.delivery;

import org.jspecify.annotations.NullMarked;
