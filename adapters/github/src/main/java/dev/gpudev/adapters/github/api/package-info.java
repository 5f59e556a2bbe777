/**
 * A small GitHub REST client over the JDK HttpClient: token or App-installation auth, conditional requests (ETag), rate limits (primary and secondary) and Link-header pagination. Anything but a documented answer is a {@link dev.gpudev.adapters.github.api.GithubUnavailableException}, so callers fail closed.
 */
@NullMarked
package dev.gpudev.adapters.github.api;

import org.jspecify.annotations.NullMarked;
