/**
 * The application layer the chat front-ends use: the use cases ({@link dev.gpudev.scheduler.app.Reservations}), who
 * asks ({@link dev.gpudev.scheduler.app.Actor}, ownership checked here and nowhere else) and the one read model
 * ({@link dev.gpudev.scheduler.app.Board}). A front-end imports this package, {@code model} and {@code command}, never
 * the engine, its state or the service internals.
 */
@NullMarked
package dev.gpudev.scheduler.app;

import org.jspecify.annotations.NullMarked;
