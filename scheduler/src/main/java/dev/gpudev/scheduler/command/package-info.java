/**
 * The command language shared by every chat front-end: text in, a sealed {@link dev.gpudev.scheduler.command.Command} out.
 */
@NullMarked
package dev.gpudev.scheduler.command;

import org.jspecify.annotations.NullMarked;
