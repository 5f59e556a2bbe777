/**
 * Use cases over the ports: reserve, cancel, extend, list; it persists every decision before acting on it.
 */
@NullMarked
package dev.gpudev.scheduler.service;

import org.jspecify.annotations.NullMarked;
