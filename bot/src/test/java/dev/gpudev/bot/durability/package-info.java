/**
 * The crash test of the whole service layer on real parts: {@code ReservationService} over the DynamoDB store on
 * dynalite and the fabric8 {@code KubernetesCluster} on the mock API server (CRUD mode). The bot is killed at sampled
 * points of reserve / ready / extend / cancel / remind / expire scripts, restarted over the same tables and API
 * server, and every invariant is checked against the API server's real objects.
 */
@NullMarked
package dev.gpudev.bot.durability;

import org.jspecify.annotations.NullMarked;
