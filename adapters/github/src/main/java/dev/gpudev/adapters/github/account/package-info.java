/**
 * GitHub accounts by their numeric id, which survives renames and is never given to anyone else, and by login.
 */
@NullMarked
package dev.gpudev.adapters.github.account;

import org.jspecify.annotations.NullMarked;
