/**
 * Checks of the deployment artefacts: the Helm chart rendered by the real Helm (helm-java) and parsed with fabric8,
 * its NetworkPolicies evaluated as a model, and the infra examples against the bot's GPU catalog.
 */
@NullMarked
package dev.gpudev.deploy;

import org.jspecify.annotations.NullMarked;
