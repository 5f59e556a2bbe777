/**
 * GitHub as the identity provider: the {@link dev.gpudev.adapters.github.GithubIdentity} facade (link, access policy, SSH keys, whoami), its settings, and the OAuth device flow entry point.
 */
@NullMarked
package dev.gpudev.adapters.github;

import org.jspecify.annotations.NullMarked;
