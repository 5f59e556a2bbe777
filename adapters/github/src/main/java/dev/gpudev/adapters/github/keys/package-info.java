/**
 * Public SSH keys of a GitHub user, and their fingerprints as {@code ssh-keygen -l} prints them.
 */
@NullMarked
package dev.gpudev.adapters.github.keys;

import org.jspecify.annotations.NullMarked;
