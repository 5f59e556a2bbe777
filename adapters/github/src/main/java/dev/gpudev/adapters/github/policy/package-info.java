/**
 * The access policy (org membership, active team membership, repository permission) and its evaluation against GitHub.
 */
@NullMarked
package dev.gpudev.adapters.github.policy;

import org.jspecify.annotations.NullMarked;
