/**
 * GitHub's OAuth device flow: proof that a chat user controls a GitHub account. The token is used once to read {@code /user} and dropped.
 */
@NullMarked
package dev.gpudev.adapters.github.device;

import org.jspecify.annotations.NullMarked;
