/**
 * The desired objects of a development server (Pods, Services, Secret, home volume), built by pure functions from
 * the reservation, the settings and the nodes it was placed on. Nothing here talks to the API server.
 */
@NullMarked
package dev.gpudev.adapters.kubernetes.server;

import org.jspecify.annotations.NullMarked;
